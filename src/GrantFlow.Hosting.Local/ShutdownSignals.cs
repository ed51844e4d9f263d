using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace GrantFlow.Hosting.Local;

/// <summary>
/// SIGTERM, SIGINT (Ctrl+C) and SIGQUIT, turned into a cancellation the command awaits: the process does not exit
/// under the command's feet, but when the command has stopped the API, the engine and (if it is the last user)
/// Azurite, in that order.
/// </summary>
public sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignals(CancellationToken alsoStopOn = default)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(alsoStopOn);
        _registrations = [.. new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT }.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true; // the command exits on its own, after its cleanup
            Signal = context.Signal;
            _stop.Cancel();
        }))];
    }

    /// <summary>Cancelled when a stop signal arrives.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>The signal that arrived, if any.</summary>
    public PosixSignal? Signal { get; private set; }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stop.Dispose();
    }
}

/// <summary>
/// A host lifetime that listens to no signal: the local engine's and API's hosts are started and stopped by their
/// owner (<see cref="ShutdownSignals"/> in the command), never by a console lifetime of their own that would stop
/// one host on SIGTERM and leave the others and the process running.
/// </summary>
internal sealed class OwnerControlledLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
