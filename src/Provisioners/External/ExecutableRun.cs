using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Paddock.Provisioners.External;

/// <summary>What an executable did: its exit code and its whole stdout and stderr, or that it ran out of time (and
/// was killed with everything it started; its output is then dropped).</summary>
internal sealed record ExecutableResult(bool TimedOut, int ExitCode, string Stdout, string Stderr);

/// <summary>Runs an admin's executable with one argument and a document on stdin. It gets an environment of its own
/// (PATH and LANG only): the worker's environment holds the platform's database credentials.</summary>
internal static class ExecutableRun
{
    private const string SafePath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <exception cref="Win32Exception">The file cannot be started (missing, not executable, bad interpreter).</exception>
    public static async Task<ExecutableResult> RunAsync(string path, string argument, string stdin, TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo(path)
        {
            ArgumentList = { argument },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // No byte-order mark: a JSON parser such as jq would refuse it.
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = Path.GetDirectoryName(path) ?? "/",
        };
        start.Environment.Clear();
        start.Environment["PATH"] = SafePath;
        start.Environment["LANG"] = "C.UTF-8";

        using var process = new Process { StartInfo = start };
        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await WriteInputAsync(process, stdin, deadline.Token);
            await process.WaitForExitAsync(deadline.Token);
            // A background process it left behind can hold its output open after it exited: that counts as time too.
            await Task.WhenAll(stdout, stderr).WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // The whole tree: a script's children would otherwise keep running, and keep its output open.
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            ct.ThrowIfCancellationRequested();
            return new ExecutableResult(true, -1, "", "");
        }
        return new ExecutableResult(false, process.ExitCode, await stdout, await stderr);
    }

    private static async Task WriteInputAsync(Process process, string stdin, CancellationToken ct)
    {
        try
        {
            await process.StandardInput.WriteAsync(stdin.AsMemory(), ct);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It exited (or closed stdin) without reading everything: its exit code and answer tell what happened.
        }
    }
}
