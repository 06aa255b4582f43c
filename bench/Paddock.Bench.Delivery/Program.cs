using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Paddock.Bench.Delivery;
using Paddock.Testing;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Access;
using Paddock.Portal.Features.Delivery;

// Delivery dashboard at scale: one team with N deployments and M tickets in a throwaway database; times the delivery
// report (the numbers the dashboard and GET /api/v1/teams/{team}/delivery show: SQL reads plus the Domain's arithmetic)
// for a 90-day and a 365-day window, several runs each after a warm-up, through the same DeliveryService the API calls.
//   dotnet bench/Paddock.Bench.Delivery/bin/Release/net10.0/Paddock.Bench.Delivery.dll [deployments=50000] [tickets=20000] [runs=7]
var deployments = args.Length > 0 ? int.Parse(args[0]) : 50_000;
var tickets = args.Length > 1 ? int.Parse(args[1]) : 20_000;
var runs = args.Length > 2 ? int.Parse(args[2]) : 7;
// .NET compiles a method fully optimised only after about 30 calls (tiered compilation): warm up past that first, as a
// portal that has served a few dashboards is, then a few more runs per window.
const int Warmups = 3;
const int JitWarmups = 32;

var database = await PostgresServer.CreateDatabaseAsync();
try
{
    var seeding = Stopwatch.StartNew();
    await PostgresServer.ExecuteAsync(Seed.Sql(deployments, tickets), database);
    Console.WriteLine($"Delivery dashboard on {Environment.ProcessorCount} cores: team '{Seed.Team}', {deployments:N0} deployments, {tickets:N0} tickets " +
                      $"(seeded in {seeding.Elapsed.TotalSeconds:0.0} s)");

    using var host = BuildHost(PostgresServer.ConnectionString(database, asApp: true));
    var end = Seed.Start.AddDays(365);
    for (var run = 0; run < JitWarmups; run++)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var warmup = new DeliveryQuery(end.AddDays(run % 2 == 0 ? -90 : -365).ToString("O"), end.ToString("O"), WithTickets: run % 4 < 2);
        await scope.ServiceProvider.GetRequiredService<DeliveryService>().ReportAsync(Caller.System("bench"), Seed.Team, warmup, CancellationToken.None);
    }
    foreach (var days in new[] { 90, 365 })
    {
        // The dashboard page leaves out the per-ticket list; the JSON API and the CSV export carry it.
        foreach (var (what, withTickets) in new[] { ("dashboard", false), ("API (with ticket list)", true) })
        {
            var query = new DeliveryQuery(end.AddDays(-days).ToString("O"), end.ToString("O"), WithTickets: withTickets);
            var times = new List<double>();
            var cpu = new List<double>();
            DeliveryView? last = null;
            for (var run = -Warmups; run < runs; run++)
            {
                await using var scope = host.Services.CreateAsyncScope();
                var service = scope.ServiceProvider.GetRequiredService<DeliveryService>();
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                var outcome = await service.ReportAsync(Caller.System("bench"), Seed.Team, query, CancellationToken.None);
                watch.Stop();
                var cpuUsed = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
                if (!outcome.IsOk) throw new InvalidOperationException(outcome.Message);
                last = outcome.Value;
                if (run < 0) continue; // warm-ups: the JIT's tiered compilation and the connection pool
                times.Add(watch.Elapsed.TotalMilliseconds);
                cpu.Add(cpuUsed);
            }
            times.Sort();
            cpu.Sort();
            // CPU time of this process (all its threads) says what the report costs even when other work shares the cores.
            Console.WriteLine($"  {days,3}-day window, {what}: median {times[times.Count / 2],6:0} ms, min {times[0],6:0} ms, max {times[^1],6:0} ms over {times.Count} runs " +
                              $"[{string.Join(" ", times.Select(t => t.ToString("0")))}]; process CPU median {cpu[cpu.Count / 2]:0} ms");
            if (withTickets) continue;
            Console.WriteLine($"      {last!.Dora.ProductionDeployments:N0} production deployments in window, lead time p50 {last.LeadTime.Percentiles.P50Hours:0.0} h " +
                              $"over {last.LeadTime.Percentiles.Count:N0} tickets, change failure rate {last.Dora.ChangeFailureRate:P1}, {last.Weeks.Count} weeks of trend");
        }
    }
    var reads = new List<double>();
    for (var run = 0; run < runs; run++)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var data = scope.ServiceProvider.GetRequiredService<DeliveryData>();
        var watch = Stopwatch.StartNew();
        var appIds = (await data.AppIdsAsync(Seed.TeamId, null, CancellationToken.None)).ToArray();
        var environments = (await data.ProductionEnvironmentIdsAsync(appIds, CancellationToken.None)).ToArray();
        await data.ProductionDeploymentsAsync(environments, CancellationToken.None);
        await data.TicketsAsync(Seed.TeamId, null, CancellationToken.None);
        reads.Add(watch.Elapsed.TotalMilliseconds);
    }
    reads.Sort();
    Console.WriteLine($"  SQL reads alone (apps, production environments, their deployments, tickets): median {reads[reads.Count / 2]:0} ms, min {reads[0]:0} ms");
}
finally
{
    if (Environment.GetEnvironmentVariable("PADDOCK_BENCH_KEEP") == "1") Console.WriteLine($"kept database {database}");
    else await PostgresServer.DropDatabaseAsync(database);
    await PostgresServer.ExecuteAsync($"DROP DATABASE IF EXISTS paddock_template_{Environment.ProcessId} WITH (FORCE)");
}
return 0;

static IHost BuildHost(string connectionString)
{
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["ConnectionStrings:Paddock"] = connectionString,
        ["Paddock:DataDirectory"] = Path.Combine(Path.GetTempPath(), $"paddock-bench-{Guid.NewGuid():N}"),
    });
    builder.Services.AddLogging();
    builder.AddPaddockPersistence();
    builder.Services.AddScoped<AccessQueries>();
    builder.Services.AddScoped<DeliveryData>();
    builder.Services.AddScoped<DeliveryService>();
    return builder.Build();
}
