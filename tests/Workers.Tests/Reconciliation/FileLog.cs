using Microsoft.Extensions.Logging;

namespace Paddock.Workers.Tests.Reconciliation;

/// <summary>When <c>PADDOCK_TEST_LOG_FILE</c> is set, the reconciler hosts' logs go there (to see why a timing test waited).</summary>
public sealed class FileLog(string path) : ILoggerProvider
{
    private static readonly Lock Gate = new();

    public ILogger CreateLogger(string categoryName) => new Writer(path, categoryName);

    public void Dispose() { }

    private sealed class Writer(string path, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}\n";
            lock (Gate) File.AppendAllText(path, line);
        }
    }
}
