using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Moq;
using Moq.Protected;

namespace GrantFlow.Workflows.Tests;

/// <summary>What an orchestration logged through its context's replay-safe loggers, captured for a test.</summary>
internal sealed class OrchestrationLogs : ILoggerProvider
{
    private readonly List<(LogLevel Level, string Message)> _lines = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Gives the mocked context a logger factory writing here.</summary>
    public static OrchestrationLogs For(Mock<TaskOrchestrationContext> context)
    {
        var logs = new OrchestrationLogs();
        context.Protected().SetupGet<ILoggerFactory>("LoggerFactory").Returns(LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)));
        return logs;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(OrchestrationLogs logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (logs._lines)
            {
                logs._lines.Add((logLevel, formatter(state, exception)));
            }
        }
    }
}
