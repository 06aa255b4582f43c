using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Paddock.Testing;

/// <summary>
/// A real git server for the tests: Debian's <c>git daemon</c> serving bare repositories from a temporary folder
/// (<c>--export-all --base-path</c>, pushes enabled) on a free loopback port, and a working copy per repository to
/// commit and push from. Everything is removed on dispose.
/// </summary>
public sealed class GitServer : IAsyncDisposable
{
    private readonly Process _daemon;
    public string Root { get; }
    public int Port { get; }

    private GitServer(Process daemon, string root, int port)
    {
        _daemon = daemon;
        Root = root;
        Port = port;
    }

    public static async Task<GitServer> StartAsync()
    {
        var root = Directory.CreateTempSubdirectory("paddock-git-server-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "repos"));
        var port = FreePort();
        // Through a shell that stops the daemon when its standard input closes: when the test host ends, however it
        // ends, the pipe closes and the daemon goes with it (a test host killed at its timeout runs no disposal).
        var start = new ProcessStartInfo("sh")
        {
            UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true,
        };
        foreach (var a in new[] { "-c", "git \"$@\" & daemon=$!; cat >/dev/null; kill $daemon", "sh" })
            start.ArgumentList.Add(a);
        foreach (var a in new[] { "daemon", "--reuseaddr", "--listen=127.0.0.1", $"--port={port}", "--export-all", "--enable=receive-pack",
                     $"--base-path={Path.Combine(root, "repos")}", Path.Combine(root, "repos") })
            start.ArgumentList.Add(a);
        var daemon = Process.Start(start)!;
        var server = new GitServer(daemon, root, port);
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        await server.DisposeAsync();
        throw new InvalidOperationException("git daemon did not start listening.");
    }

    public string UrlOf(string repository) => $"git://127.0.0.1:{Port}/{repository}.git";

    /// <summary>A new bare repository on the server and a working copy of it.</summary>
    public async Task<GitWorkingCopy> CreateRepositoryAsync(string name)
    {
        var bare = Path.Combine(Root, "repos", name + ".git");
        await RunAsync(Root, "init", "--bare", "--quiet", "--initial-branch=main", bare);
        var work = Path.Combine(Root, "work", name);
        Directory.CreateDirectory(work);
        await RunAsync(work, "init", "--quiet", "--initial-branch=main");
        return new GitWorkingCopy(work, UrlOf(name));
    }

    public static async Task<string> RunAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = directory };
        foreach (var a in new[] { "-c", "user.name=Ada Tester", "-c", "user.email=ada@example.com", "-c", "commit.gpgsign=false" }.Concat(arguments))
            start.ArgumentList.Add(a);
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["HOME"] = directory;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {error}");
        return output.Trim();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_daemon.HasExited)
        {
            _daemon.Kill(entireProcessTree: true);
            await _daemon.WaitForExitAsync();
        }
        _daemon.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A working copy that commits files and pushes them to its server.</summary>
public sealed record GitWorkingCopy(string Directory, string Url)
{
    /// <summary>Writes the files, commits them with the message and pushes to the branch; answers the new commit's sha.</summary>
    public async Task<string> CommitAsync(string message, IReadOnlyDictionary<string, string> files, string branch = "main", bool force = false)
    {
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(Directory, path);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, text);
        }
        await GitServer.RunAsync(Directory, "add", "--all");
        await GitServer.RunAsync(Directory, "commit", "--quiet", "--allow-empty", "-m", message);
        var sha = await GitServer.RunAsync(Directory, "rev-parse", "HEAD");
        await GitServer.RunAsync(Directory, force ? ["push", "--quiet", "--force", Url, $"HEAD:refs/heads/{branch}"] : ["push", "--quiet", Url, $"HEAD:refs/heads/{branch}"]);
        return sha;
    }

    /// <summary>Drops the last commit and pushes what is left with force (history rewritten on the server).</summary>
    public async Task<string> ResetAndForcePushAsync(string message, IReadOnlyDictionary<string, string> files, string branch = "main")
    {
        await GitServer.RunAsync(Directory, "reset", "--hard", "--quiet", "HEAD~1");
        return await CommitAsync(message, files, branch, force: true);
    }
}
