using System.Diagnostics;
using System.Net;

namespace Paddock.Bench;

/// <summary>Create environment → serving, for an app with a postgres database and a redis cache (classes
/// <c>default</c>, which ./run.sh registers on its own Postgres cluster and redis-server) against the same app alone,
/// alternating in one run so machine noise hits both alike. Both apps run the demo image; the one with resources gets
/// <c>DATABASE_URL</c>, <c>REDIS_URL</c> and <c>REDIS_PREFIX</c> from them, so its clock includes provisioning both
/// (before any container starts) and resolving their outputs. Each environment is deleted (and waited for, its
/// database and Redis user removed) before the next is created.</summary>
public sealed class ResourcesBench(PaddockApi api, Edge edge, Uri edgeAddress)
{
    private const string Image = "localhost/paddock-demo:1";

    public async Task RunAsync(int rounds)
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var team = $"bench-{suffix}";
        var alone = $"alone-{suffix}";
        var withResources = $"withres-{suffix}";
        await api.SendAsync(HttpMethod.Post, "/api/v1/teams", new { name = team });
        foreach (var app in new[] { alone, withResources })
            await api.SendAsync(HttpMethod.Post, "/api/v1/apps", new { name = app, team, image = Image, port = 8080, healthCheck = new { type = "http", path = "/" } });
        await DeclareResourcesAsync(withResources);

        await CreateToServingAsync(alone, "warm");            // warm both paths once
        await CreateToServingAsync(withResources, "warm");
        var plain = new List<double>();
        var resources = new List<double>();
        for (var i = 0; i < rounds; i++)
        {
            plain.Add(await CreateToServingAsync(alone, $"r{i}"));
            resources.Add(await CreateToServingAsync(withResources, $"r{i}"));
        }
        Console.WriteLine(Stats.Summary("create environment -> serving, app alone", plain));
        Console.WriteLine(Stats.Summary("create environment -> serving, app + postgres + redis", resources));
        var (p50Plain, p50Resources) = (Stats.Percentile(plain, 50), Stats.Percentile(resources, 50));
        Console.WriteLine($"at p50: resources add {p50Resources - p50Plain:F0} ms (target <= 1000 ms); ratio {p50Resources / p50Plain:F2}");
        Console.WriteLine($"median of the rounds' own differences: {Stats.Percentile(resources.Zip(plain, (r, p) => r - p).ToList(), 50):F0} ms");
        await api.DeleteEnvironmentAsync(withResources, "seed");
        await WaitUntilGoneAsync(withResources, "seed");
    }

    /// <summary>Applies a workload with a database and a cache in a first environment, which makes it the app's
    /// revision every new environment gets.</summary>
    private async Task DeclareResourcesAsync(string app)
    {
        await api.SendAsync(HttpMethod.Post, $"/api/v1/apps/{app}/environments", new { name = "seed", stage = "Development", backend = "docker" });
        // A plan applied while the environment's first deployment is under way is refused (what runs changes meanwhile).
        await api.WaitForEnvironmentAsync(app, "seed", "Running", TimeSpan.FromMinutes(2));
        var workload = new Dictionary<string, object>
        {
            ["apiVersion"] = "score.dev/v1b1",
            ["metadata"] = new { name = app },
            ["service"] = new { ports = new { web = new { port = 8080 } } },
            ["containers"] = new Dictionary<string, object>
            {
                [app] = new
                {
                    image = Image,
                    variables = new Dictionary<string, string>
                    {
                        ["DATABASE_URL"] = "${resources.db.url}",
                        ["REDIS_URL"] = "${resources.cache.url}",
                        ["REDIS_PREFIX"] = "${resources.cache.prefix}",
                    },
                    readinessProbe = new { httpGet = new { port = 8080, path = "/" } },
                },
            },
            ["resources"] = new { db = new { type = "postgres" }, cache = new { type = "redis" } },
        };
        var plan = await api.SendAsync(HttpMethod.Post, $"/api/v1/apps/{app}/environments/seed/plans", workload);
        await api.SendAsync(HttpMethod.Post, $"/api/v1/plans/{plan.GetProperty("id").GetGuid()}/apply");
        await api.WaitForEnvironmentAsync(app, "seed", "Running", TimeSpan.FromMinutes(2));
    }

    /// <summary>Milliseconds from the create call until the environment's URL answers with the demo page; then the
    /// environment is deleted and waited for.</summary>
    private async Task<double> CreateToServingAsync(string app, string env)
    {
        var clock = Stopwatch.StartNew();
        await api.SendAsync(HttpMethod.Post, $"/api/v1/apps/{app}/environments", new { name = env, stage = "Development", backend = "docker" });
        var view = await api.WaitForEnvironmentAsync(app, env, "Running", TimeSpan.FromMinutes(2));
        await edge.WaitForContentAsync(new Uri(view.GetProperty("url").GetString()!), edgeAddress, "paddock demo v1", TimeSpan.FromMinutes(1));
        var elapsed = clock.Elapsed.TotalMilliseconds;
        await api.DeleteEnvironmentAsync(app, env);
        await WaitUntilGoneAsync(app, env);
        return elapsed;
    }

    private async Task WaitUntilGoneAsync(string app, string env)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            try { await api.SendAsync(HttpMethod.Get, $"/api/v1/apps/{app}/environments/{env}"); }
            catch (InvalidOperationException e) when (e.Message.Contains($"answered {(int)HttpStatusCode.NotFound}", StringComparison.Ordinal)) { return; }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{app}/{env} was not deleted within 2 minutes.");
    }
}
