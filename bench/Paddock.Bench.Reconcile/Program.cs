using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Paddock.Bench.Reconcile;
using Paddock.Domain.Backends;
using Paddock.Testing;
using Paddock.Persistence;
using Paddock.Runtime.Backends;
using Paddock.Workers;
using Paddock.Workers.Reconciliation;

// Reconcile scale: N environments in a throwaway database, each Running with a current deployment, against an
// in-process backend that observes exactly what is desired. Times one full resync pass (after a warm-up pass) and
// counts the SQL round trips it makes (every command Npgsql sends, from its own tracing).
//   dotnet run -c Release --project bench/Paddock.Bench.Reconcile -- [sizes, default 1000 10000 100000]
var sizes = args.Length > 0 ? args.Select(int.Parse).ToArray() : [1_000, 10_000, 100_000];
var commands = 0L;
using var listener = new ActivityListener
{
    ShouldListenTo = source => source.Name == "Npgsql",
    Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
    ActivityStarted = _ => Interlocked.Increment(ref commands),
};
ActivitySource.AddActivityListener(listener);

Console.WriteLine($"Reconcile scale on {Environment.ProcessorCount} cores; batch size 500");
foreach (var size in sizes)
{
    var database = await PostgresServer.CreateDatabaseAsync();
    try
    {
        var seeding = Stopwatch.StartNew();
        await PostgresServer.ExecuteAsync(Seed.Sql(size), database);
        var world = await Seed.ObservedAsync(PostgresServer.ConnectionString(database, asApp: false));
        seeding.Stop();

        using var host = BuildHost(PostgresServer.ConnectionString(database, asApp: true), world);
        var resync = host.Services.GetRequiredService<FullResync>();
        await resync.RunAsync(CancellationToken.None);   // warm-up: JIT, connection pool

        var before = Interlocked.Read(ref commands);
        var pass = Stopwatch.StartNew();
        var result = await resync.RunAsync(CancellationToken.None);
        pass.Stop();
        var roundTrips = Interlocked.Read(ref commands) - before;

        Console.WriteLine($"{size,8:N0} environments: one full resync pass {pass.Elapsed.TotalSeconds,7:0.000} s, " +
                          $"{result.Batches,4} batches, {roundTrips,4} SQL round trips, {result.NeedLook.Count} to repair " +
                          $"(seeded in {seeding.Elapsed.TotalSeconds:0.0} s)");
        if (result.Environments != size) Console.WriteLine($"  !! read {result.Environments} environments, expected {size}");
    }
    finally
    {
        await PostgresServer.DropDatabaseAsync(database);
    }
}
await PostgresServer.ExecuteAsync($"DROP DATABASE IF EXISTS paddock_template_{Environment.ProcessId} WITH (FORCE)");
return 0;

static IHost BuildHost(string connectionString, IReadOnlyDictionary<Guid, ObservedState> world)
{
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["ConnectionStrings:Paddock"] = connectionString,
        ["Paddock:DataDirectory"] = Path.Combine(Path.GetTempPath(), $"paddock-bench-{Guid.NewGuid():N}"),
        ["Backends:matching:Kind"] = "matching",
        ["Reconciler:BatchSize"] = "500",
    });
    builder.Services.AddLogging();
    builder.AddPaddockPersistence();
    builder.AddEnvironmentJobs();
    builder.AddReconciler();
    var kinds = new Dictionary<string, BackendFactory> { ["matching"] = (name, _, _) => new MatchingBackend(name, world) };
    builder.Services.AddSingleton(sp => new BackendRegistry(sp.GetRequiredService<IConfiguration>(), kinds, sp));
    return builder.Build();
}
