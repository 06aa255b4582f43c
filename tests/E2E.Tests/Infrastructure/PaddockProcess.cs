using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Paddock.E2E.Tests.Infrastructure;

/// <summary>One Paddock process (portal, workers or edge) started the way <c>./run.sh</c> starts it: through
/// <c>scripts/start-app.sh</c>, from the published output, in Production, with the environment that script derives
/// from the <c>PADDOCK_*</c> variables given here. Its output goes to a log file kept with the test results.</summary>
public sealed partial class PaddockProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name { get; }
    public string LogFile { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    private PaddockProcess(string name, Process process, string logFile)
    {
        Name = name;
        _process = process;
        LogFile = logFile;
        _log = new StreamWriter(logFile, append: true) { AutoFlush = true };
    }

    /// <summary>Starts <paramref name="name"/>; <paramref name="urls"/> (e.g. <c>http://127.0.0.1:0</c>) for a portal or
    /// edge. Extra settings are environment variables (<c>Section__Key</c>), as an operator would add them.</summary>
    public static PaddockProcess Start(string name, string? urls, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(Path.Combine(RepositoryRoot.Path, "scripts", "start-app.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(name);
        if (urls is not null) start.ArgumentList.Add(urls);
        // The test process's own host settings (an environment name, say) must not leak into the app.
        foreach (var key in start.Environment.Keys.Where(IsHostSetting).ToList()) start.Environment.Remove(key);
        start.Environment["PADDOCK_PUBLISH_DIR"] = PublishedApps.Directory;
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var logFile = Path.Combine(AppContext.BaseDirectory, "process-logs", $"{DateTime.UtcNow:HHmmss}-{name}-{Guid.NewGuid().ToString("N")[..4]}.log");
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}.");
        var paddock = new PaddockProcess(name, process, logFile);
        Running.Add(paddock);
        process.OutputDataReceived += (_, e) => paddock.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => paddock.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => paddock._listening.TrySetException(new InvalidOperationException($"{name} exited with status {process.ExitCode} during start-up; log: {logFile}\n{paddock.Tail()}"));
        return paddock;
    }

    public static bool IsHostSetting(string variable) =>
        variable.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || variable == "DOTNET_ENVIRONMENT";

    private readonly Queue<string> _tail = new();
    private bool _closed;

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_tail)
        {
            if (_closed) return;
            _log.WriteLine(line);
            _tail.Enqueue(line);
            if (_tail.Count > 40) _tail.Dequeue();
        }
        // ASP.NET Core's start-up line; with port 0 it is the only way to learn the port.
        if (ListeningLine().Match(line) is { Success: true } match) _listening.TrySetResult(new Uri(match.Groups[1].Value));
    }

    public string Tail()
    {
        lock (_tail) return string.Join('\n', _tail);
    }

    /// <summary>Where the process listens, once Kestrel says so.</summary>
    public async Task<Uri> ListeningAsync(TimeSpan timeout)
    {
        try
        {
            return await _listening.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} did not start listening in {timeout.TotalSeconds} s; log: {LogFile}\n{Tail()}");
        }
    }

    /// <summary>Waits until <paramref name="url"/> answers 2xx (a health endpoint).</summary>
    public async Task WaitHealthyAsync(string url, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (HasExited) throw new InvalidOperationException($"{Name} exited during start-up; log: {LogFile}\n{Tail()}");
            try
            {
                if ((await http.GetAsync(url)).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{url} did not answer in {timeout.TotalSeconds} s; log: {LogFile}\n{Tail()}");
            await Task.Delay(200);
        }
    }

    /// <summary>SIGTERM (a clean shutdown, as run.sh stops it), then SIGKILL after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (!HasExited)
        {
            Signals.Terminate(_process.Id);
            using var wait = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(15));
            try { await _process.WaitForExitAsync(wait.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); }
        }
        Running.TryTake(this);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        lock (_tail)
        {
            _closed = true;
            _log.Dispose();
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();

    /// <summary>What a crashed test run leaves: every process still running when the test process ends is killed.</summary>
    private static readonly ProcessSet Running = new();

    private sealed class ProcessSet
    {
        private readonly HashSet<PaddockProcess> _set = [];

        public ProcessSet() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var p in Snapshot())
                try { p._process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        };

        public void Add(PaddockProcess p) { lock (_set) _set.Add(p); }
        public void TryTake(PaddockProcess p) { lock (_set) _set.Remove(p); }
        private List<PaddockProcess> Snapshot() { lock (_set) return [.. _set]; }
    }
}

/// <summary>Unix signals .NET's Process class does not send.</summary>
public static class Signals
{
    private const int SIGTERM = 15;
    private const int SIGKILL = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    // Each says whether the signal went out; callers may ignore it, since a process or group already gone is what they want.
    public static bool Terminate(int pid) => Kill(pid, SIGTERM) == 0;

    /// <summary>SIGTERM to every process of process group <paramref name="group"/>.</summary>
    public static bool TerminateGroup(int group) => Kill(-group, SIGTERM) == 0;

    public static bool KillGroup(int group) => Kill(-group, SIGKILL) == 0;

    /// <summary>True while <paramref name="pid"/> runs (an exited process waiting to be reaped does not count).</summary>
    public static bool IsAlive(int pid)
    {
        if (Kill(pid, 0) != 0) return false;
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
