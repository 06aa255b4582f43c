using System.Diagnostics;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Jobs;

namespace Paddock.Workers.Tests.Processes;

/// <summary>A real worker process (<c>dotnet Paddock.Workers.dll</c>, as <c>./run.sh</c> starts it) configured
/// through environment variables. Output is kept for the failure message.</summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private WorkerProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public static WorkerProcess Start(IReadOnlyDictionary<string, string?> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = BuildDirectory(),
        };
        start.ArgumentList.Add(Path.Combine(BuildDirectory(), "Paddock.Workers.dll"));
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the worker");
        var worker = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) => worker.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>The worker's own build output (its deps and runtime config, not the test project's), found from the
    /// test's: <c>tests/Workers.Tests/bin/{Configuration}/{tfm}</c> ↔ <c>src/Workers/bin/{Configuration}/{tfm}</c>.</summary>
    private static string BuildDirectory()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (tfm, configuration) = (testBin.Name, testBin.Parent!.Name);
        var root = testBin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Platform.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException($"No Platform.sln above {AppContext.BaseDirectory}.");
        return Path.Combine(root.FullName, "src", "Workers", "bin", configuration, tfm);
    }

    /// <summary>SIGKILL: no shutdown, no cleanup, exactly like a crashed machine from the database's point of view.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public string Output()
    {
        lock (_output) return string.Join('\n', _output.TakeLast(80));
    }

    /// <summary>Enqueues a deploy job the way the portal does: through Hangfire's client on the same storage.</summary>
    public static void EnqueueDeploy(string connectionString, Guid deploymentId)
    {
        var services = new ServiceCollection().AddLogging().AddPaddockJobStorage(connectionString).BuildServiceProvider();
        services.GetRequiredService<IBackgroundJobClient>().Enqueue<IEnvironmentJobs>("deploy", j => j.DeployAsync(deploymentId, CancellationToken.None));
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
