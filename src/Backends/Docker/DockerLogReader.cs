using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Docker.DotNet;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker;

/// <summary>Splits the engine's multiplexed log stream (stdout and stderr frames) into lines.</summary>
internal static class DockerLogReader
{
    public static async IAsyncEnumerable<LogLine> ReadAsync(
        MultiplexedStream stream, string instance, [EnumeratorCancellation] CancellationToken ct, bool timestamps = true)
    {
        var buffer = new byte[16 * 1024];
        var pending = new Dictionary<LogStream, StringBuilder> { [LogStream.Stdout] = new(), [LogStream.Stderr] = new() };
        var decoders = new Dictionary<LogStream, Decoder>
        {
            [LogStream.Stdout] = Encoding.UTF8.GetDecoder(),
            [LogStream.Stderr] = Encoding.UTF8.GetDecoder(),
        };
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, ct);
            if (read.EOF) break;
            var target = read.Target == MultiplexedStream.TargetStream.StandardError ? LogStream.Stderr : LogStream.Stdout;
            var count = decoders[target].GetChars(buffer, 0, read.Count, chars, 0);
            var text = pending[target].Append(chars, 0, count);
            int newline;
            while ((newline = IndexOf(text, '\n')) >= 0)
            {
                var line = text.ToString(0, newline).TrimEnd('\r');
                text.Remove(0, newline + 1);
                yield return Parse(instance, target, line, timestamps);
            }
        }
        foreach (var (target, rest) in pending)
            if (rest.Length > 0) yield return Parse(instance, target, rest.ToString(), timestamps);
    }

    /// <summary>With timestamps on, each line starts with an RFC 3339 time and a space.</summary>
    private static LogLine Parse(string instance, LogStream stream, string line, bool timestamps)
    {
        var space = line.IndexOf(' ');
        if (timestamps && space > 0
            && DateTime.TryParse(line[..space], CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
            return new LogLine(instance, stream, at, line[(space + 1)..]);
        return new LogLine(instance, stream, null, line);
    }

    private static int IndexOf(StringBuilder text, char value)
    {
        for (var i = 0; i < text.Length; i++)
            if (text[i] == value) return i;
        return -1;
    }
}
