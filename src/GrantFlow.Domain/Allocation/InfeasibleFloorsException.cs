using System.Globalization;

namespace GrantFlow.Domain.Allocation;

/// <summary>The floors alone exceed the envelope: the run must be refused.</summary>
public sealed class InfeasibleFloorsException : Exception
{
    public InfeasibleFloorsException(long envelopeYuan, long floorTotalYuan)
        : base(string.Create(
            CultureInfo.InvariantCulture,
            $"The floors add up to {floorTotalYuan:N0} yuan, more than the envelope of {envelopeYuan:N0} yuan; the run is refused."))
    {
        EnvelopeYuan = envelopeYuan;
        FloorTotalYuan = floorTotalYuan;
    }

    public InfeasibleFloorsException()
    {
    }

    public InfeasibleFloorsException(string message)
        : base(message)
    {
    }

    public InfeasibleFloorsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public long EnvelopeYuan { get; }

    public long FloorTotalYuan { get; }
}
