using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Paddock.Integration.Tests.Infrastructure;

/// <summary>Errors the test portals logged, kept so that a test which gets a 500 can say why (the response only
/// carries a trace id, and the server's console output is not part of a test's result).</summary>
public static class ServerErrors
{
    private static readonly ConcurrentQueue<(string TraceId, string Text)> Logged = new();

    /// <summary>What was logged for the trace id in a problem body (<c>00-&lt;trace&gt;-&lt;span&gt;-00</c>), or the latest errors.</summary>
    public static string For(string responseBody)
    {
        var all = Logged.ToArray();
        var matching = all.Where(e => e.TraceId.Length > 0 && responseBody.Contains(e.TraceId, StringComparison.Ordinal)).ToList();
        var shown = matching.Count > 0 ? matching : all.TakeLast(3).ToList();
        return shown.Count == 0 ? "(the server logged no error)" : string.Join("\n---\n", shown.Select(e => e.Text));
    }

    public sealed class Provider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Recorder(categoryName);

        public void Dispose() { }
    }

    private sealed class Recorder(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            Logged.Enqueue((Activity.Current?.TraceId.ToString() ?? "", $"{category}: {formatter(state, exception)}\n{exception}"));
            while (Logged.Count > 200) Logged.TryDequeue(out _);
        }
    }
}
