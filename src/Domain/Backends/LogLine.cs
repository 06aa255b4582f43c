namespace Paddock.Domain.Backends;

public enum LogStream
{
    Stdout = 0,
    Stderr = 1,
}

/// <summary>One line an instance wrote; <see cref="At"/> is the runtime's timestamp when it gives one.</summary>
public sealed record LogLine(string InstanceName, LogStream Stream, DateTime? At, string Text);
