using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Paddock.Bench;

/// <summary>Environments that follow git (issue 23), against the real follower of a running stack and a real
/// <c>git daemon</c> that bench/git-follow.sh starts (its base path <see cref="_gitRoot"/>; every fetch the server
/// answers with a pack is counted by its <c>uploadpack.packObjectsHook</c>, one line in <see cref="_fetchLog"/>):
/// <list type="number">
/// <item>push → generic webhook → the edge serves the new version, p50 over the rounds, against the same change
/// applied through the API (plan + apply of the same workload) to a twin app that does not follow git, alternating
/// in one run so machine noise hits both alike;</item>
/// <item>the cost of one polling interval for many followed environments on fewer repositories: the environments and
/// their sources are written straight into the database (creating a thousand environments through the API would
/// deploy a thousand containers), then every repository gets a new commit and the bench counts the fetches and
/// times the interval until every source has looked at its new head.</item>
/// </list></summary>
public sealed class GitFollowBench(PaddockApi api, Edge edge, Uri edgeAddress, Uri portal, string db, string gitRoot, int gitPort, string fetchLog)
{
    private const string Image = "localhost/paddock-demo:1";
    private readonly string _gitRoot = gitRoot;
    private readonly string _fetchLog = fetchLog;
    private readonly string _work = Directory.CreateTempSubdirectory("paddock-bench-git-").FullName;

    private static Dictionary<string, object> Workload(string app, string greeting) => new()
    {
        ["apiVersion"] = "score.dev/v1b1",
        ["metadata"] = new { name = app },
        ["service"] = new { ports = new { web = new { port = 8080 } } },
        ["containers"] = new Dictionary<string, object>
        {
            ["web"] = new
            {
                image = Image,
                command = new[] { "/bin/sh", "-c" },
                args = new[] { "echo \"$GREETING\" > /www/index.html; trap 'exit 0' TERM INT; /bin/httpd -f -p 8080 -h /www & wait" },
                variables = new Dictionary<string, string> { ["GREETING"] = greeting },
                readinessProbe = new { httpGet = new { port = 8080, path = "/" } },
            },
        },
    };

    /// <summary>The workload as the file in git holds it (JSON is YAML).</summary>
    private static string WorkloadFile(string app, string greeting) => JsonSerializer.Serialize(Workload(app, greeting), new JsonSerializerOptions { WriteIndented = true });

    public async Task RunAsync(int rounds, int followers, int repositories)
    {
        try
        {
            var suffix = Guid.NewGuid().ToString("N")[..6];
            var team = $"gitbench-{suffix}";
            await api.SendAsync(HttpMethod.Post, "/api/v1/teams", new { name = team });
            await FollowLatencyAsync(team, suffix, rounds);
            await PollingCostAsync(team, suffix, followers, repositories);
        }
        finally
        {
            try { Directory.Delete(_work, recursive: true); } catch (IOException) { }
        }
    }

    private async Task FollowLatencyAsync(string team, string suffix, int rounds)
    {
        var (followed, direct) = ($"follows-{suffix}", $"direct-{suffix}");
        foreach (var app in new[] { followed, direct })
        {
            await api.SendAsync(HttpMethod.Post, "/api/v1/apps", new { name = app, team, image = Image, port = 8080 });
            await api.SendAsync(HttpMethod.Post, $"/api/v1/apps/{app}/environments", new { name = "dev", stage = "Development", backend = "docker" });
        }
        var followedUrl = new Uri((await api.WaitForEnvironmentAsync(followed, "dev", "Running", TimeSpan.FromMinutes(2))).GetProperty("url").GetString()!);
        var directUrl = new Uri((await api.WaitForEnvironmentAsync(direct, "dev", "Running", TimeSpan.FromMinutes(2))).GetProperty("url").GetString()!);

        var repo = await CreateRepositoryAsync($"follow-{suffix}");
        await CommitAsync(repo, followed, "warm-0");
        await api.SendAsync(HttpMethod.Post, $"/api/v1/teams/{team}/repositories", new { url = repo.Url });
        await api.SendAsync(HttpMethod.Put, $"/api/v1/apps/{followed}/environments/dev/source", new { repository = repo.Url, @ref = "main", path = "score.json", autoApply = true });
        await edge.WaitForContentAsync(followedUrl, edgeAddress, "warm-0", TimeSpan.FromMinutes(2));
        var hook = await api.SendAsync(HttpMethod.Post, $"/api/v1/teams/{team}/webhooks", new { source = "generic" });
        var (hookPath, secret) = (hook.GetProperty("webhook").GetProperty("receiverPath").GetString()!, hook.GetProperty("secret").GetString()!);

        await ApplyThroughApiAsync(direct, directUrl, "warm-0");
        await PushAndServeAsync(repo, followed, followedUrl, hookPath, secret, "warm-1"); // warm both paths once
        await ApplyThroughApiAsync(direct, directUrl, "warm-1");

        var git = new List<double>();
        var pushes = new List<double>();
        var apiApplied = new List<double>();
        for (var i = 0; i < rounds; i++)
        {
            var (total, push) = await PushAndServeAsync(repo, followed, followedUrl, hookPath, secret, $"round-{i}");
            git.Add(total);
            pushes.Add(push);
            apiApplied.Add(await ApplyThroughApiAsync(direct, directUrl, $"round-{i}"));
        }
        Console.WriteLine(Stats.Summary("git push -> webhook -> edge serves the new version", git));
        Console.WriteLine(Stats.Summary("  of which the push itself (commit + git push)", pushes));
        Console.WriteLine(Stats.Summary("the same change through the API (plan + apply -> edge serves it)", apiApplied));
        var (p50Git, p50Api) = (Stats.Percentile(git, 50), Stats.Percentile(apiApplied, 50));
        Console.WriteLine($"at p50: following git adds {p50Git - p50Api:F0} ms to the deploy itself (target <= 2000 ms); ratio {p50Git / p50Api:F2}");
        Console.WriteLine($"median of the rounds' own differences: {Stats.Percentile(git.Zip(apiApplied, (g, a) => g - a).ToList(), 50):F0} ms");
        await api.SendAsync(HttpMethod.Delete, $"/api/v1/apps/{followed}/environments/dev/source");
        foreach (var app in new[] { followed, direct }) await api.DeleteEnvironmentAsync(app, "dev");
    }

    /// <summary>Milliseconds from the start of the push until the edge serves <paramref name="greeting"/>, and of them the push.</summary>
    private async Task<(double Total, double Push)> PushAndServeAsync(GitRepo repo, string app, Uri url, string hookPath, string secret, string greeting)
    {
        await QuietAsync(app);
        var clock = Stopwatch.StartNew();
        await CommitAsync(repo, app, greeting);
        var push = clock.Elapsed.TotalMilliseconds;
        await SendPushAsync(hookPath, secret, repo.Url);
        await edge.WaitForContentAsync(url, edgeAddress, greeting, TimeSpan.FromMinutes(2));
        return (clock.Elapsed.TotalMilliseconds, push);
    }

    /// <summary>Milliseconds from the plan call until the edge serves <paramref name="greeting"/>. The edge serves a new
    /// version before its deployment's last steps are written; a plan made meanwhile is refused as stale (409), and
    /// the round starts again, its clock too.</summary>
    private async Task<double> ApplyThroughApiAsync(string app, Uri url, string greeting)
    {
        for (var attempt = 1; ; attempt++)
        {
            await QuietAsync(app);
            var clock = Stopwatch.StartNew();
            var plan = await api.SendAsync(HttpMethod.Post, $"/api/v1/apps/{app}/environments/dev/plans", Workload(app, greeting));
            try
            {
                await api.SendAsync(HttpMethod.Post, $"/api/v1/plans/{plan.GetProperty("id").GetGuid()}/apply");
            }
            catch (InvalidOperationException e) when (attempt < 5 && e.Message.Contains("answered 409", StringComparison.Ordinal))
            {
                await Task.Delay(200);
                continue;
            }
            await edge.WaitForContentAsync(url, edgeAddress, greeting, TimeSpan.FromMinutes(2));
            return clock.Elapsed.TotalMilliseconds;
        }
    }

    /// <summary>Outside the clock: the previous deployment done and its old instances retired (a few seconds after the
    /// edge serves the new version), so a round never starts while the environment's row still changes. (A commit
    /// that the follower applies at that moment is refused as stale, and the follower does not try it again: see
    /// docs/benchmarks.md.)</summary>
    private async Task QuietAsync(string app)
    {
        await api.WaitForEnvironmentAsync(app, "dev", "Running", TimeSpan.FromMinutes(2));
        await Task.Delay(TimeSpan.FromSeconds(4));
    }

    private async Task SendPushAsync(string hookPath, string secret, string repositoryUrl)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { repository = repositoryUrl, branch = "main" });
        using var http = new HttpClient { BaseAddress = portal };
        using var request = new HttpRequestMessage(HttpMethod.Post, hookPath) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"The webhook answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task PollingCostAsync(string team, string suffix, int followers, int repositoryCount)
    {
        // One app whose first environment the API creates; the others are copies of its row (Pending, nothing
        // deployed, so no worker acts on them), each following one of the repositories without autoApply: a new
        // commit is planned for each and waits, as it would for a person to apply.
        var app = $"polled-{suffix}";
        await api.SendAsync(HttpMethod.Post, "/api/v1/apps", new { name = app, team, image = Image, port = 8080 });
        await api.SendAsync(HttpMethod.Post, $"/api/v1/apps/{app}/environments", new { name = "base", stage = "Development", backend = "docker" });
        await api.WaitForEnvironmentAsync(app, "base", "Running", TimeSpan.FromMinutes(2));
        var repos = new List<(GitRepo Repo, Guid Id, string Head)>();
        for (var r = 0; r < repositoryCount; r++)
        {
            var repo = await CreateRepositoryAsync($"polled-{suffix}-{r:D3}");
            var head = await CommitAsync(repo, app, "polled-0");
            var registered = await api.SendAsync(HttpMethod.Post, $"/api/v1/teams/{team}/repositories", new { url = repo.Url });
            repos.Add((repo, registered.GetProperty("id").GetGuid(), head));
        }
        var setup = Stopwatch.StartNew();
        var (coldSince, coldFetches) = (DateTime.UtcNow, FetchCount());
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using (var batch = connection.CreateBatch())
        {
            batch.BatchCommands.Add(Command($"""
                CREATE TEMP TABLE clones AS SELECT e.*, g AS n FROM environments e, generate_series(1, {followers}) g
                WHERE e.application_id = (SELECT id FROM applications WHERE name = '{app}') AND e.name = 'base' AND e.deleted_at IS NULL
                """));
            batch.BatchCommands.Add(Command("""
                UPDATE clones SET id = gen_random_uuid(), name = 'f' || lpad(n::text, 4, '0'), resource_name = left(resource_name, 40) || '-f' || n,
                    status = 'Pending', current_deployment_id = NULL
                """));
            batch.BatchCommands.Add(Command("ALTER TABLE clones DROP COLUMN n"));
            batch.BatchCommands.Add(Command("INSERT INTO environments SELECT * FROM clones"));
            await batch.ExecuteNonQueryAsync();
        }
        var ids = string.Join(",", repos.Select(r => $"('{r.Id}'::uuid, '{r.Head}')"));
        await Command($"""
            INSERT INTO git_sources (environment_id, application_id, repository_id, ref, path, auto_apply, allow_stateful_deletes, allow_edits,
                created_by, created_at, head_sha, checked_at)
            SELECT c.id, c.application_id, r.id, 'main', 'score.json', false, false, false, 'bench', now(), r.head, NULL
            FROM (SELECT id, application_id, row_number() OVER (ORDER BY name) - 1 AS i FROM clones) c
            JOIN (SELECT id, head, row_number() OVER () - 1 AS j FROM (VALUES {ids}) AS v(id, head)) r ON r.j = c.i % {repositoryCount}
            """, connection).ExecuteNonQueryAsync();
        Console.WriteLine($"set-up: {followers} environments following {repositoryCount} repositories written to the database in {setup.Elapsed.TotalSeconds:F1} s");

        // The first interval only brings the repositories into Paddock's copies (a fetch each; no head moved).
        var cold = await IntervalAsync(connection, app, followers, coldSince, coldFetches, null);
        Console.WriteLine($"first interval (heads unchanged, copies empty): {cold.Fetches} fetches, {cold.Seconds:F1} s from its first repository to its last source");

        // Every repository moves, all at once right after a pass (so within one interval): one fetch each, then a plan for
        // each of its environments. The fetches are counted from before the first push.
        var (pushedAt, movedFetches) = (DateTime.UtcNow, FetchCount());
        var heads = await Task.WhenAll(repos.Select(r => CommitAsync(r.Repo, app, "polled-1")));
        Console.WriteLine($"pushed a commit to each of the {repositoryCount} repositories in {(DateTime.UtcNow - pushedAt).TotalSeconds:F1} s");
        var moved = await IntervalAsync(connection, app, followers, pushedAt, movedFetches, heads.ToHashSet());
        var planned = (long)(await Command($"SELECT count(*) FROM git_sources WHERE application_id = (SELECT id FROM applications WHERE name = '{app}') AND next_plan_id IS NOT NULL AND error IS NULL", connection).ExecuteScalarAsync())!;
        Console.WriteLine($"interval after a push to every repository: {moved.Fetches} fetches for {repositoryCount} repositories and {followers} environments " +
            $"(target: {repositoryCount}, one per repository), {moved.Seconds:F1} s from its first repository to its last planned environment " +
            $"({moved.Seconds * 1000 / followers:F0} ms per environment; {planned} of {followers} planned and waiting)");

        var quiet = await IntervalAsync(connection, app, followers, DateTime.UtcNow, FetchCount(), null);
        Console.WriteLine($"interval with nothing new: {quiet.Fetches} fetches, {quiet.Seconds:F1} s (one ls-remote per repository)");

        await Command($"DELETE FROM git_sources WHERE application_id = (SELECT id FROM applications WHERE name = '{app}')", connection).ExecuteNonQueryAsync();
        await Command($"UPDATE environments SET deleted_at = now() WHERE id IN (SELECT id FROM clones)", connection).ExecuteNonQueryAsync();
        await api.DeleteEnvironmentAsync(app, "base");
    }

    /// <summary>Waits until every followed environment of the app was looked at after <paramref name="since"/> (and, when
    /// <paramref name="heads"/> is given, saw one of them): the fetches the git server counted meanwhile, and the
    /// seconds from the first repository the follower read to the last source it wrote.</summary>
    private async Task<(int Fetches, double Seconds)> IntervalAsync(NpgsqlConnection connection, string app, int followers, DateTime since, int fetchesBefore, IReadOnlySet<string>? heads)
    {
        var deadline = DateTime.UtcNow.AddMinutes(15);
        var headList = heads is null ? "NULL" : "ARRAY[" + string.Join(",", heads.Select(h => $"'{h}'")) + "]";
        while (true)
        {
            var done = (long)(await Command($"""
                SELECT count(*) FROM git_sources s WHERE s.application_id = (SELECT id FROM applications WHERE name = '{app}') AND s.checked_at > @since
                  AND ({headList}::text[] IS NULL OR s.head_sha = ANY({headList}::text[]))
                """, connection, since).ExecuteScalarAsync())!;
            if (done >= followers) break;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Only {done} of {followers} sources were looked at within 15 minutes.");
            await Task.Delay(100);
        }
        var finished = DateTime.UtcNow;
        var started = (DateTime)(await Command($"""
            SELECT min(r.last_fetched_at) FROM git_repositories r
            WHERE r.id IN (SELECT repository_id FROM git_sources WHERE application_id = (SELECT id FROM applications WHERE name = '{app}')) AND r.last_fetched_at > @since
            """, connection, since).ExecuteScalarAsync())!;
        return (FetchCount() - fetchesBefore, (finished - started.ToUniversalTime()).TotalSeconds);
    }

    private int FetchCount() => File.Exists(_fetchLog) ? File.ReadAllLines(_fetchLog).Length : 0;

    private static NpgsqlBatchCommand Command(string sql) => new(sql);

    private static NpgsqlCommand Command(string sql, NpgsqlConnection connection, DateTime? since = null)
    {
        var command = new NpgsqlCommand(sql, connection);
        if (since is { } at) command.Parameters.AddWithValue("since", at);
        return command;
    }

    private sealed record GitRepo(string WorkingCopy, string Url);

    private async Task<GitRepo> CreateRepositoryAsync(string name)
    {
        await GitAsync(_gitRoot, "init", "--bare", "--quiet", "--initial-branch=main", Path.Combine(_gitRoot, name + ".git"));
        var work = Path.Combine(_work, name);
        Directory.CreateDirectory(work);
        await GitAsync(work, "init", "--quiet", "--initial-branch=main");
        return new GitRepo(work, $"git://127.0.0.1:{gitPort}/{name}.git");
    }

    /// <summary>Commits the workload saying <paramref name="greeting"/> and pushes it; answers the commit's sha.</summary>
    private static async Task<string> CommitAsync(GitRepo repo, string app, string greeting)
    {
        await File.WriteAllTextAsync(Path.Combine(repo.WorkingCopy, "score.json"), WorkloadFile(app, greeting));
        await GitAsync(repo.WorkingCopy, "add", "--all");
        await GitAsync(repo.WorkingCopy, "commit", "--quiet", "--allow-empty", "-m", $"Greet with {greeting}");
        await GitAsync(repo.WorkingCopy, "push", "--quiet", repo.Url, "HEAD:refs/heads/main");
        return await GitAsync(repo.WorkingCopy, "rev-parse", "HEAD");
    }

    private static async Task<string> GitAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = directory };
        foreach (var a in new[] { "-c", "user.name=Bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false" }.Concat(arguments))
            start.ArgumentList.Add(a);
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {error}");
        return output.Trim();
    }
}
