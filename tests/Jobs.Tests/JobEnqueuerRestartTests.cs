using System.Diagnostics;
using Hangfire.Common;
using Npgsql;
using Paddock.Jobs;

namespace Paddock.Jobs.Tests;

/// <summary>A Postgres restart leaves every pooled connection dead. The enqueue that meets one must not fail (the
/// request would answer 500 and the job wait for the sweeper): it retries once on a fresh connection. Runs on a
/// cluster of its own, since restarting the shared test cluster would break every other test.</summary>
public sealed class JobEnqueuerRestartTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine("/tmp", $"pdk-pgr-{Guid.NewGuid().ToString("N")[..8]}");
    private readonly int _port = LoopbackPort.Free();
    private string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        if (Environment.UserName == "root") await RunAsync("chown", "postgres:", _dir);
        await AsOwnerAsync("initdb", "-D", _dir, "-A", "trust", "-U", "postgres", "--no-sync");
        await AsOwnerAsync("pg_ctl", "-D", _dir, "-l", $"{_dir}/server.log", "-w", "-t", "60", "-o", Options, "start");
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        Hangfire.PostgreSql.PostgreSqlObjectsInstaller.Install(connection, JobStorageSetup.Schema);
    }

    private string Options => $"-p {_port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off";

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AsOwnerAsync("pg_ctl", "-D", _dir, "-m", "immediate", "-w", "stop");
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    [Fact]
    public async Task An_enqueue_right_after_a_postgres_restart_succeeds_and_is_fetched_within_a_second()
    {
        var options = JobStorageSetup.StorageOptions();
        var enqueuer = new JobEnqueuer(ConnectionString, options);
        var job = Job.FromExpression<IEnvironmentJobs>(j => j.DeployAsync(Guid.NewGuid(), CancellationToken.None));
        await enqueuer.EnqueueAsync(job, JobStorageSetup.DeployQueue); // leaves a pooled connection behind
        using (var connection = JobStorageSetup.Storage(ConnectionString, options).GetConnection())
            connection.FetchNextJob(JobStorageSetup.Queues, CancellationToken.None).RemoveFromQueue();

        await AsOwnerAsync("pg_ctl", "-D", _dir, "-m", "fast", "-w", "-t", "60", "-o", Options, "restart");
        // The fetch is the library's, whose worker recovers from dead pooled connections by retrying on its own
        // schedule; on a pool of its own here, so that this measures the enqueue.
        var storage = JobStorageSetup.Storage(ConnectionString + ";Application Name=after-restart", options);
        var clock = Stopwatch.StartNew();
        var jobId = await enqueuer.EnqueueAsync(job, JobStorageSetup.DeployQueue);
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var storageConnection = storage.GetConnection();
        using var fetched = storageConnection.FetchNextJob(JobStorageSetup.Queues, giveUp.Token);

        Assert.Equal(jobId, fetched.JobId);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Enqueued and fetched {clock.Elapsed.TotalMilliseconds:0} ms after the restart.");
    }

    private static Task AsOwnerAsync(string file, params string[] args) =>
        Environment.UserName == "root" ? RunAsync("runuser", ["-u", "postgres", "--", file, .. args]) : RunAsync(file, args);

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {await error}{await output}");
    }
}
