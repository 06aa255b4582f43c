using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using Paddock.E2E.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Paddock.E2E.Tests.Journeys;

/// <summary>./run.sh itself, as a newcomer starts it, on spare ports: on the test's Postgres (a fresh, empty
/// database: run.sh's migrator makes the schema) and the test's engine, from the published output the other tests
/// use (so it does not build again), with its state in a temporary folder.</summary>
public sealed class RunScript : IAsyncLifetime
{
    private readonly string _database = $"paddock_run_{Guid.NewGuid():N}"[..30];
    private readonly string _appRole = $"paddock_run_{Guid.NewGuid():N}"[..24];
    private Process? _run;

    public string StateDirectory { get; } = Directory.CreateTempSubdirectory("paddock-e2e-run-").FullName;
    public string LogFile { get; } = Path.Combine(AppContext.BaseDirectory, "process-logs", $"{DateTime.UtcNow:HHmmss}-run.sh.log");
    public int PortalPort { get; } = LoopbackPort.Free();
    public string BaseUrl => $"http://127.0.0.1:{PortalPort}";
    public Browser Browser { get; } = new();
    public int ProcessId => _run?.Id ?? 0;

    public async Task InitializeAsync()
    {
        await PostgresServer.ExecuteAsync($"CREATE DATABASE {_database}");
        Directory.CreateDirectory(Path.GetDirectoryName(LogFile)!);
        // setsid: run.sh leads its own process group, as in a terminal; exec keeps the pid.
        var start = new ProcessStartInfo("bash", ["-c", """exec setsid "$0" >"$1" 2>&1 </dev/null""", Path.Combine(RepositoryRoot.Path, "run.sh"), LogFile])
        {
            UseShellExecute = false,
        };
        foreach (var key in start.Environment.Keys.Where(PaddockProcess.IsHostSetting).ToList()) start.Environment.Remove(key);
        start.Environment["PADDOCK_PORT"] = PortalPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PADDOCK_EDGE_PORT"] = LoopbackPort.Free().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PADDOCK_PG_PORT"] = LoopbackPort.Free().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PADDOCK_DB"] = PostgresServer.ConnectionString(_database, asApp: false);
        start.Environment["PADDOCK_DB_APP_USER"] = _appRole;
        // Without a test engine, a socket nobody serves: run.sh must not start a Podman of its own here.
        start.Environment["DOCKER_HOST"] = Environment.GetEnvironmentVariable(EngineFactAttribute.Variable) is { Length: > 0 } engine
            ? engine
            : $"unix://{StateDirectory}/no-engine.sock";
        start.Environment["PADDOCK_STATE_DIR"] = StateDirectory;
        start.Environment["PADDOCK_PUBLISH_DIR"] = PublishedApps.Directory;
        _run = Process.Start(start)!;
        await WaitHealthyAsync(TimeSpan.FromSeconds(180));
        await Browser.StartAsync();
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_run!.HasExited) throw new InvalidOperationException($"run.sh exited with status {_run.ExitCode}:\n{File.ReadAllText(LogFile)}");
            try
            {
                if ((await http.GetAsync($"{BaseUrl}/healthz")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"run.sh's portal was not healthy in {timeout.TotalSeconds} s:\n{File.ReadAllText(LogFile)}");
            await Task.Delay(500);
        }
    }

    /// <summary>The processes run.sh started, from its pid files (they run in sessions of their own).</summary>
    public IReadOnlyList<int> AppProcessIds() =>
        new[] { "portal", "workers", "edge" }.Select(n => Path.Combine(StateDirectory, $"{n}.pid"))
            .Where(File.Exists).Select(f => int.Parse(File.ReadAllText(f).Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList();

    /// <summary>What a script does to stop run.sh: SIGTERM to its process group. True if it exited in time.</summary>
    public async Task<bool> TerminateAsync(TimeSpan timeout)
    {
        if (_run is null || _run.HasExited) return true;
        Signals.TerminateGroup(_run.Id);
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _run.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        var apps = AppProcessIds();
        if (!await TerminateAsync(TimeSpan.FromSeconds(60)) && _run is not null)
        {
            Signals.KillGroup(_run.Id);
            await _run.WaitForExitAsync();
        }
        // A run.sh that died without its clean-up leaves its apps running.
        foreach (var pid in apps.Where(Signals.IsAlive))
            try { Process.GetProcessById(pid).Kill(entireProcessTree: true); } catch (ArgumentException) { }
        _run?.Dispose();
        await PostgresServer.DropDatabaseAsync(_database);
        try { await PostgresServer.ExecuteAsync($"DROP ROLE IF EXISTS {_appRole}"); } catch (Npgsql.PostgresException) { }
        try { Directory.Delete(StateDirectory, recursive: true); } catch (IOException) { }
    }

}

public sealed class RunScriptJourneyTests(RunScript run) : IClassFixture<RunScript>
{
    [Fact]
    public async Task A_newcomer_signs_in_to_the_portal_run_sh_started_creates_a_team_by_click_and_sees_it_styled_then_SIGTERM_stops_everything()
    {
        var password = (await File.ReadAllTextAsync(Path.Combine(run.StateDirectory, "admin-password"))).Trim();
        await using (var browser = await run.Browser.NewPageAsync(run.BaseUrl))
        {
            var page = browser.Page;
            await page.GotoAsync("/login");
            await UiAssets.AssertEveryScriptAndStylesheetHasContentAsync(page);
            await page.SignInAsync("admin@localhost", password);

            var team = PageActions.Unique("first");
            await page.CreateTeamAsync(team);
            await Expect(page.GetByText(team).First).ToBeVisibleAsync();
            await page.WaitForInteractiveAsync();
            await UiAssets.AssertEveryScriptAndStylesheetHasContentAsync(page);
            await UiAssets.AssertStyledAsync(page.GetByRole(AriaRole.Button).First);
            await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "run-sh-team.png") });
        }

        // Started from a script, run.sh has SIGINT ignored: SIGTERM must stop it and everything it started.
        var apps = run.AppProcessIds();
        Assert.Equal(3, apps.Count);
        Assert.True(await run.TerminateAsync(TimeSpan.FromSeconds(60)), "run.sh did not exit within 60 s of SIGTERM");
        Assert.DoesNotContain(apps, Signals.IsAlive);
    }
}
