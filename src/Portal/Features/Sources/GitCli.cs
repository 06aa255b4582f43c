using System.Diagnostics;
using System.Text;

namespace Paddock.Portal.Features.Sources;

/// <summary>What a git command needs to authenticate: nothing, an HTTPS token, or an SSH private key.</summary>
public sealed record GitCredential(string? Token = null, string? SshKey = null)
{
    public static readonly GitCredential None = new();
}

/// <summary>What a git command answered (<paramref name="Bytes"/>: its output as bytes, when those were asked for).</summary>
public sealed record GitResult(int ExitCode, string Output, string Error, byte[]? Bytes = null)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>
/// Runs Debian's <c>git</c> with an argument list (never through a shell), a timeout, no terminal prompt and only the
/// network protocols a repository URL may use. Credentials never reach the command line or the logs: a token travels
/// as an <c>http.extraHeader</c> set through <c>GIT_CONFIG_*</c> environment variables, an SSH key as a temporary
/// 0600 file named in <c>GIT_SSH_COMMAND</c> and deleted afterwards.
/// </summary>
public sealed class GitCli(GitSettings settings, ILogger<GitCli> logger)
{
    public Task<GitResult> RunAsync(IReadOnlyList<string> arguments, GitCredential credential, string? workingDirectory, CancellationToken ct) =>
        RunAsync(arguments, credential, workingDirectory, bytes: false, ct);

    /// <summary>As <see cref="RunAsync(IReadOnlyList{string}, GitCredential, string?, CancellationToken)"/>, with the output
    /// kept as bytes (a file that may not be text).</summary>
    public Task<GitResult> RunForBytesAsync(IReadOnlyList<string> arguments, string? workingDirectory, CancellationToken ct) =>
        RunAsync(arguments, GitCredential.None, workingDirectory, bytes: true, ct);

    private async Task<GitResult> RunAsync(IReadOnlyList<string> arguments, GitCredential credential, string? workingDirectory, bool bytes, CancellationToken ct)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_ASKPASS"] = "/bin/false";
        start.Environment["SSH_ASKPASS"] = "/bin/false";
        // ext:: and file:// would run commands or read the server's disk: only network transports.
        start.Environment["GIT_ALLOW_PROTOCOL"] = "https:http:git:ssh";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["HOME"] = Path.GetTempPath();
        start.Environment["LC_ALL"] = "C";
        string? keyFile = null;
        if (credential.Token is { } token)
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:" + token));
            start.Environment["GIT_CONFIG_COUNT"] = "1";
            start.Environment["GIT_CONFIG_KEY_0"] = "http.extraHeader";
            start.Environment["GIT_CONFIG_VALUE_0"] = "Authorization: Basic " + basic;
        }
        if (credential.SshKey is { } key)
        {
            keyFile = Path.Combine(Path.GetTempPath(), "paddock-git-key-" + Guid.NewGuid().ToString("N"));
            await File.WriteAllTextAsync(keyFile, "", ct);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            await File.WriteAllTextAsync(keyFile, key.ReplaceLineEndings("\n").TrimEnd() + "\n", ct);
        }
        start.Environment["GIT_SSH_COMMAND"] = keyFile is null
            ? "ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new"
            : $"ssh -i {keyFile} -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=accept-new";

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.CommandTimeout);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("git could not be started.");
        try
        {
            process.StandardInput.Close();
            var buffer = new MemoryStream();
            var output = bytes ? CopyAsync(process.StandardOutput.BaseStream, buffer, timeout.Token) : process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var result = new GitResult(process.ExitCode, await output, await error, bytes ? buffer.ToArray() : null);
            logger.LogDebug("git {Command} exited {Code} in {Elapsed} ms", arguments[0], result.ExitCode, watch.ElapsedMilliseconds);
            return result;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            return new GitResult(-1, "", $"git {arguments[0]} took longer than {settings.CommandTimeout.TotalSeconds:0} s and was stopped.");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            if (keyFile is not null) File.Delete(keyFile);
        }
    }

    private static async Task<string> CopyAsync(Stream from, MemoryStream to, CancellationToken ct)
    {
        await from.CopyToAsync(to, ct);
        return "";
    }
}
