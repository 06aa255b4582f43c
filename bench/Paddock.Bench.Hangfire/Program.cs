using System.Diagnostics;
using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Paddock.Bench;
using Paddock.Bench.Hangfire;
using Paddock.Testing;
using Paddock.Jobs;
using Paddock.Workers;

// Hangfire's own pick-up on this machine, without Paddock's work around it: this process enqueues a no-op job on the
// deploy queue, a second process runs the worker process's Hangfire server (same storage and server options), and
// each job's enqueue -> Processing state is read from Hangfire's rows, as bench/deploy.sh reads a deploy job's.
// Paddock's one-statement enqueue (JobEnqueuer, as the portal enqueues) and Hangfire's client are measured in
// alternating blocks of one run; both are served by the library's queue and locks.
//   bench/hangfire-pickup.sh [rounds per enqueue, default 40] [ms between rounds, default 300]
const string PaddockEnqueue = "paddock", LibraryEnqueue = "library";
if (args is ["serve", var serverConnection])
{
    await ServeAsync(serverConnection);
    return;
}

var rounds = args.Length > 0 ? int.Parse(args[0]) : 40;
var pauseMs = args.Length > 1 ? int.Parse(args[1]) : 300;
var database = await PostgresServer.CreateDatabaseAsync();
var connectionString = PostgresServer.ConnectionString(database, asApp: true);
try
{
    using var client = BuildClientHost(connectionString);
    var jobs = client.Services.GetRequiredService<IBackgroundJobClient>();
    var enqueuer = client.Services.GetRequiredService<JobEnqueuer>();
    var pickUps = new Dictionary<string, List<double>> { [LibraryEnqueue] = [], [PaddockEnqueue] = [] };
    const int blocks = 2, warmUp = 5;
    for (var block = 0; block < blocks; block++)
    {
        foreach (var kind in pickUps.Keys)
        {
            using var server = StartServerProcess(connectionString);
            try
            {
                await WaitForServerAsync(connectionString);
                var ids = new List<long>();
                for (var round = 0; round < warmUp + rounds / blocks; round++)
                {
                    var id = kind == PaddockEnqueue
                        ? await enqueuer.EnqueueAsync(Job.FromExpression<NoOpJob>(job => job.RunAsync(CancellationToken.None)), JobStorageSetup.DeployQueue)
                        : jobs.Enqueue<NoOpJob>(job => job.RunAsync(CancellationToken.None));
                    await WaitUntilSucceededAsync(connectionString, id);
                    if (round >= warmUp) ids.Add(long.Parse(id));
                    await Task.Delay(pauseMs);
                }
                pickUps[kind].AddRange(await PickUpsAsync(connectionString, ids));
            }
            finally
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
                await ForgetServersAsync(connectionString);
            }
        }
    }

    Console.WriteLine($"Hangfire enqueue -> Processing (no-op job, no Paddock work around it), {Environment.ProcessorCount} cores, " +
                      $"{pauseMs} ms between rounds, {blocks} alternating blocks per queue");
    foreach (var (kind, values) in pickUps)
        Console.WriteLine($"  {kind,-8}: n={values.Count} p50={Stats.Percentile(values, 50):F1} ms p95={Stats.Percentile(values, 95):F1} ms " +
                          $"p99={Stats.Percentile(values, 99):F1} ms min={values.Min():F1} ms");
    Console.WriteLine($"  p50 paddock / library: {Stats.Percentile(pickUps[PaddockEnqueue], 50) / Stats.Percentile(pickUps[LibraryEnqueue], 50):F2}");
}
finally
{
    NpgsqlConnection.ClearAllPools();
    await PostgresServer.DropDatabaseAsync(database);
}

static async Task ServeAsync(string connectionString)
{
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.Services.AddPaddockJobStorage(connectionString);
    builder.Services.AddHangfireServer(WorkerSetup.ConfigureJobServer);
    builder.Services.AddScoped<NoOpJob>();
    await builder.Build().RunAsync();
}

static Process StartServerProcess(string connectionString)
{
    var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
    // Started as "dotnet Paddock.Bench.Hangfire.dll": the server is the same program.
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(typeof(NoOpJob).Assembly.Location);
    foreach (var argument in new[] { "serve", connectionString }) start.ArgumentList.Add(argument);
    return Process.Start(start)!;
}

static IHost BuildClientHost(string connectionString)
{
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.Services.AddPaddockJobStorage(connectionString);
    var host = builder.Build();
    // The process-wide part of Hangfire's configuration (serializer settings, filters) is applied when resolved.
    host.Services.GetRequiredService<IGlobalConfiguration>();
    return host;
}

static async Task<long> ScalarAsync(string connectionString, string sql, long? id = null)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    if (id is not null) command.Parameters.AddWithValue("id", id.Value);
    return Convert.ToInt64(await command.ExecuteScalarAsync());
}

static async Task WaitForServerAsync(string connectionString)
{
    for (var i = 0; i < 600; i++)
    {
        if (await ScalarAsync(connectionString, $"SELECT count(*) FROM {JobStorageSetup.Schema}.server") > 0) return;
        await Task.Delay(100);
    }
    throw new TimeoutException("the Hangfire server process did not register within a minute");
}

// A killed server leaves its row; the next block waits for its own.
static Task ForgetServersAsync(string connectionString) => ScalarAsync(connectionString, $"DELETE FROM {JobStorageSetup.Schema}.server");

static async Task WaitUntilSucceededAsync(string connectionString, string jobId)
{
    var waited = Stopwatch.StartNew();
    // Checked every 50 ms, so the check's own load stays small against the pick-up it measures.
    while (await ScalarAsync(connectionString,
               $"SELECT count(*) FROM {JobStorageSetup.Schema}.job WHERE id = @id AND statename = 'Succeeded'", long.Parse(jobId)) == 0)
    {
        if (waited.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"job {jobId} did not succeed within 30 s");
        await Task.Delay(50);
    }
}

static async Task<List<double>> PickUpsAsync(string connectionString, List<long> ids)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand($"""
        SELECT extract(epoch FROM p.createdat - j.createdat) * 1000
        FROM {JobStorageSetup.Schema}.job j
        JOIN LATERAL (SELECT s.createdat FROM {JobStorageSetup.Schema}.state s WHERE s.jobid = j.id AND s.name = 'Processing'
                      ORDER BY s.id LIMIT 1) p ON true
        WHERE j.id = ANY(@ids)
        """, connection);
    command.Parameters.AddWithValue("ids", ids.ToArray());
    var values = new List<double>();
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync()) values.Add(reader.GetDouble(0));
    return values;
}
