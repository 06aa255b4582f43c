using System.Diagnostics;
using System.Text.Json;
using Paddock.Bench;

// Benchmarks against a running Paddock (portal, workers and edge as separate processes: bench/*.sh start them with
// ./run.sh). Each prints its figures; nothing here runs in ./test.sh.
var settings = args.Skip(1).Chunk(2).Where(p => p.Length == 2).ToDictionary(p => p[0].TrimStart('-'), p => p[1]);
string Setting(string name, string fallback) => settings.GetValueOrDefault(name) ?? fallback;

var portal = new Uri(Setting("portal", "http://127.0.0.1:5080"));
var edgeAddress = new Uri(Setting("edge", "http://127.0.0.1:5090"));
var token = File.ReadAllText(Setting("token-file", ".paddock/admin.token")).Trim();
var engine = new Uri(Setting("engine", Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "unix:///var/run/docker.sock"));
var rounds = int.Parse(Setting("n", "20"));
// Seconds of quiet before each measured deploy (deploy only): what a user who deploys now and then sees, after the
// processes' connection pools and caches have had time to go cold. 0: back to back.
var pause = TimeSpan.FromSeconds(int.Parse(Setting("pause", "0")));
// --sigterm-deaf true: the app runs busybox httpd as PID 1, which ignores SIGTERM (as many images' entry points do),
// so every stop of an old instance waits out its whole grace period; the raw baseline runs the same command.
string[]? command = Setting("sigterm-deaf", "false") == "true" ? ["/bin/httpd", "-f", "-p", "8080", "-h", "/www"] : null;
var api = new PaddockApi(portal, token);
var edge = new Edge();
const string V1 = "localhost/paddock-demo:1", V2 = "localhost/paddock-demo:2";

switch (args.FirstOrDefault())
{
    case "deploy":
        await DeployOverheadAsync();
        break;
    case "self-heal":
        await SelfHealAsync();
        break;
    case "resources":
        await new ResourcesBench(api, edge, edgeAddress).RunAsync(rounds);
        break;
    case "git-follow":
        await new GitFollowBench(api, edge, edgeAddress, portal, Setting("db", ""), Setting("git-root", ""), int.Parse(Setting("git-port", "0")), Setting("fetch-log", ""))
            .RunAsync(rounds, int.Parse(Setting("followers", "1000")), int.Parse(Setting("repositories", "50")));
        break;
    default:
        Console.Error.WriteLine("usage: Paddock.Bench deploy|self-heal|resources|git-follow [--portal URL] [--edge URL] [--engine unix:///...] [--token-file F] [--n 20] [--pause SECONDS] [--sigterm-deaf true] [--db CONNECTION] [--git-root DIR --git-port N --fetch-log F --followers 1000 --repositories 50]");
        return 2;
}
return 0;

// Deploy overhead: API call → the stable URL answers with the new version, against a raw create+start+answer of
// the same image on the same engine, alternating in one run so machine noise hits both alike. Also the queue's
// enqueue→start latency (from each deployment's own timestamps) and event → SSE client latency.
async Task DeployOverheadAsync()
{
    var (app, env) = await api.CreateEnvironmentAsync(V1, command: command);
    var view = await api.WaitForEnvironmentAsync(app, env, "Running", TimeSpan.FromMinutes(2));
    var url = new Uri(view.GetProperty("url").GetString()!);
    using var sse = new EventStreamProbe(portal, token, app, env);
    await sse.StartAsync();

    var raw = new RawEngine(engine);
    await raw.CreateStartAndAnswerAsync(V2, "v2", command); // warm both paths once
    var paddock = new List<double>();
    var bare = new List<double>();
    var pickup = new List<double>();
    var queuedAt = new Dictionary<Guid, DateTime>();
    var answeredAfterSwitch = new List<double>();
    var callToQueued = new List<double>();
    var callToAccepted = new List<double>();
    var ids = new List<Guid>();
    for (var i = 0; i < rounds; i++)
    {
        var (image, expected) = i % 2 == 0 ? (V2, "v2") : (V1, "v1");
        if (pause > TimeSpan.Zero) await Task.Delay(pause);
        var calledAt = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var id = await api.DeployAsync(app, env, image);
        ids.Add(id);
        callToAccepted.Add(clock.Elapsed.TotalMilliseconds);
        // Fast polling from the moment the new container runs (its "start" event): see Edge.WaitForContentAsync.
        await edge.WaitForContentAsync(url, edgeAddress, expected, TimeSpan.FromMinutes(1), sse.SeenAsync(id, "start"));
        paddock.Add(clock.Elapsed.TotalMilliseconds);
        var answeredAt = DateTime.UtcNow;
        var deployment = await WaitForTerminalAsync(id);
        queuedAt[id] = deployment.GetProperty("queuedAt").GetDateTime().ToUniversalTime();
        callToQueued.Add((queuedAt[id] - calledAt).TotalMilliseconds);
        if (sse.Steps.Where(s => s.Deployment == id && s.Phase == "switched").Select(s => (DateTime?)s.At).FirstOrDefault() is { } switchedAt)
            answeredAfterSwitch.Add((answeredAt - switchedAt).TotalMilliseconds);
        if (deployment.TryGetProperty("startedAt", out var started) && started.ValueKind == JsonValueKind.String)
            pickup.Add((started.GetDateTime() - deployment.GetProperty("queuedAt").GetDateTime()).TotalMilliseconds);
        bare.Add((await raw.CreateStartAndAnswerAsync(image, expected, command)).TotalMilliseconds);
    }
    Console.WriteLine(Stats.Summary("paddock deploy (API call -> URL serves new version)", paddock));
    Console.WriteLine(Stats.Summary("raw engine create+start+answer", bare));
    Console.WriteLine($"ratio at p50: {Stats.Percentile(paddock, 50) / Stats.Percentile(bare, 50):F2} (target <= 1.3)");
    // Each round's deploy and raw run follow each other: their ratio cancels the machine's slower and faster minutes.
    Console.WriteLine($"median of the rounds' own ratios: {Stats.Percentile(paddock.Zip(bare, (p, b) => p / b).ToList(), 50):F2}");
    if (pickup.Count > 0) Console.WriteLine(Stats.Summary("deployment queued -> started (job pick-up)", pickup));
    if (settings.GetValueOrDefault("db") is { Length: > 0 } db)
    {
        var legs = await QueueTimings.ReadAsync(db, queuedAt.Keys);
        if (legs.EnqueueToProcessing.Count > 0)
        {
            Console.WriteLine(Stats.Summary("  of which API request -> Hangfire enqueue", legs.ApiToEnqueue));
            Console.WriteLine(Stats.Summary("  of which Hangfire enqueue -> job starts (Processing)", legs.EnqueueToProcessing));
            Console.WriteLine(Stats.Summary("  of which job starts -> deployment Deploying", legs.ProcessingToStarted));
        }
    }
    if (sse.Latencies.Count > 0) Console.WriteLine(Stats.Summary("event written -> SSE client", sse.Latencies.ToList()));
    Console.WriteLine("where a deployment's time goes (median gap between its consecutive events):");
    Console.WriteLine($"  {"API call -> queued",-28} p50 {Stats.Percentile(callToQueued, 50),7:F1} ms  (the deployment's queuedAt; 202 answered at p50 {Stats.Percentile(callToAccepted, 50):F1} ms)");
    foreach (var line in sse.Breakdown(queuedAt)) Console.WriteLine(line);
    if (answeredAfterSwitch.Count > 0) Console.WriteLine(Stats.Summary("  'switched' event -> bench sees the new content", answeredAfterSwitch));
    await ReportRetirementsAsync(ids);
    await api.DeleteEnvironmentAsync(app, env);
}

// Self-heal: kill the environment's container; time until the stable URL answers again.
async Task SelfHealAsync()
{
    var (app, env) = await api.CreateEnvironmentAsync(V1);
    var view = await api.WaitForEnvironmentAsync(app, env, "Running", TimeSpan.FromMinutes(2));
    var url = new Uri(view.GetProperty("url").GetString()!);
    var environmentId = view.GetProperty("id").GetString()!;
    var raw = new RawEngine(engine);
    var heal = new List<double>();
    for (var i = 0; i < rounds; i++)
    {
        await edge.WaitForContentAsync(url, edgeAddress, "v1", TimeSpan.FromSeconds(30));
        await raw.KillOneAsync(environmentId);
        var clock = Stopwatch.StartNew();
        while (await edge.GetAsync(url, edgeAddress) is not null && clock.Elapsed < TimeSpan.FromSeconds(2)) await Task.Delay(2);
        await edge.WaitForContentAsync(url, edgeAddress, "v1", TimeSpan.FromSeconds(60));
        heal.Add(clock.Elapsed.TotalMilliseconds);
        await Task.Delay(1500); // spacing, so the crash-loop policy sees separate incidents
    }
    Console.WriteLine(Stats.Summary("self-heal (kill -> URL answers again)", heal));
    Console.WriteLine($"targets: p50 <= 3000 ms, p95 <= 5000 ms");
    await api.DeleteEnvironmentAsync(app, env);
}

// Old instances retire in the background: how long each took, and whether the next deployment had to wait for it
// (it did if it started only after its predecessor's instances were gone, although they were still there when it
// was queued).
async Task ReportRetirementsAsync(IReadOnlyList<Guid> ids)
{
    var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
    var views = new List<JsonElement>();
    foreach (var id in ids)
    {
        var view = await api.DeploymentAsync(id);
        while (id != ids[^1] && !Has(view, "retiredAt") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            view = await api.DeploymentAsync(id);
        }
        views.Add(view);
    }
    var retiring = new List<double>();
    var waited = 0;
    for (var i = 0; i + 1 < views.Count; i++)
    {
        if (!Has(views[i], "retiringSince") || !Has(views[i], "retiredAt")) continue;
        var since = views[i].GetProperty("retiringSince").GetDateTime();
        var retired = views[i].GetProperty("retiredAt").GetDateTime();
        retiring.Add((retired - since).TotalMilliseconds);
        var next = views[i + 1];
        if (next.GetProperty("queuedAt").GetDateTime() < retired && Has(next, "startedAt") && next.GetProperty("startedAt").GetDateTime() >= retired)
            waited++;
    }
    if (retiring.Count > 0) Console.WriteLine(Stats.Summary("previous instances retiring -> retired (background)", retiring));
    Console.WriteLine($"deployments that waited for the previous one's retirement: {waited} of {views.Count - 1}");

    static bool Has(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String;
}

async Task<JsonElement> WaitForTerminalAsync(Guid id)
{
    while (true)
    {
        var deployment = await api.DeploymentAsync(id);
        if (deployment.GetProperty("status").GetString() is not ("Queued" or "Deploying")) return deployment;
        await Task.Delay(20);
    }
}
