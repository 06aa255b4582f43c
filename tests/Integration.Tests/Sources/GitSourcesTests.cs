using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Deployments;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Integration.Tests.Webhooks;
using Paddock.Portal.Features.Sources;

namespace Paddock.Integration.Tests.Sources;

/// <summary>Environments that follow git, against a real git server (<c>git daemon</c>) with commits made here, on a
/// real database. No worker runs here: a deployment stays Queued until the test marks it succeeded as a worker would.</summary>
public sealed class GitSourcesTests(PortalFixture portal) : IClassFixture<PortalFixture>, IAsyncLifetime
{
    private GitServer _git = null!;

    public async Task InitializeAsync() => _git = await GitServer.StartAsync();

    public async Task DisposeAsync() => await _git.DisposeAsync();

    private static string Workload(string app, string image, string extra = "") =>
        $"""
        apiVersion: score.dev/v1b1
        metadata:
          name: {app}
        service:
          ports:
            web:
              port: 8080
        containers:
          {app}:
            image: {image}
        {extra}
        """;

    private static Dictionary<string, string> Files(string app, string image, string extra = "") => new() { ["deploy/score.yaml"] = Workload(app, image, extra) };

    /// <summary>An app with a dev environment whose first deployment ran, and a repository holding its workload.</summary>
    private async Task<(TeamScenario Scenario, string App, Guid EnvId, GitWorkingCopy Repo, string FirstSha)> FollowedSetupAsync()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var envId = portal.EnvironmentId(app, "dev");
        await portal.MarkSucceededAsync(Assert.Single(portal.DeploymentsOf(envId)).Id);
        var repo = await _git.CreateRepositoryAsync(Unique.Name("repo"));
        var sha = await repo.CommitAsync("First workload", Files(app, "registry.example.com/shop/web:1.5"));
        return (scenario, app, envId, repo, sha);
    }

    private static async Task<JsonElement> RegisterAsync(TeamScenario scenario, string url)
    {
        var response = await scenario.Member.PostAsJsonAsync($"/api/v1/teams/{scenario.TeamName}/repositories", new { url });
        await Api.EnsureAsync(response, HttpStatusCode.Created);
        return await response.JsonAsync();
    }

    private static Task<HttpResponseMessage> FollowAsync(TeamScenario scenario, string app, string repository, bool autoApply, string path = "deploy/score.yaml", string reference = "main") =>
        scenario.Member.PutAsJsonAsync($"/api/v1/apps/{app}/environments/dev/source", new { repository, @ref = reference, path, autoApply });

    private async Task SyncAsync(Guid repositoryId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<GitFollower>().SyncRepositoryAsync(repositoryId, CancellationToken.None);
    }

    private static async Task<JsonElement> SourceAsync(TeamScenario scenario, string app)
    {
        var response = await scenario.Viewer.GetAsync($"/api/v1/apps/{app}/environments/dev/source");
        await Api.EnsureAsync(response, HttpStatusCode.OK);
        return await response.JsonAsync();
    }

    [Fact]
    public async Task Registering_a_repository_checks_that_git_reaches_it_and_never_shows_the_credential_again()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var repo = await _git.CreateRepositoryAsync(Unique.Name("repo"));
        await repo.CommitAsync("Empty start", new Dictionary<string, string> { ["README"] = "hello\n" });
        var path = $"/api/v1/teams/{scenario.TeamName}/repositories";

        var missing = await scenario.Member.PostAsJsonAsync(path, new { url = _git.UrlOf("no-such-repo") });
        await Api.EnsureAsync(missing, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("could not be reached", (await missing.JsonAsync()).GetProperty("errors").GetProperty("url")[0].GetString());

        var local = await scenario.Member.PostAsJsonAsync(path, new { url = "file:///etc" });
        await Api.EnsureAsync(local, HttpStatusCode.BadRequest);
        var tokenOverGit = await scenario.Member.PostAsJsonAsync(path, new { url = repo.Url, token = "ghp_secret" });
        await Api.EnsureAsync(tokenOverGit, HttpStatusCode.BadRequest);
        Assert.True((await tokenOverGit.JsonAsync()).GetProperty("errors").TryGetProperty("token", out _));
        var forbidden = await scenario.Viewer.PostAsJsonAsync(path, new { url = repo.Url });
        await Api.EnsureAsync(forbidden, HttpStatusCode.Forbidden);

        var registered = await RegisterAsync(scenario, repo.Url);
        Assert.Equal(repo.Url, registered.GetProperty("url").GetString());
        Assert.Equal("None", registered.GetProperty("credential").GetString());
        var again = await scenario.Member.PostAsJsonAsync(path, new { url = repo.Url });
        await Api.EnsureAsync(again, HttpStatusCode.Conflict);

        var listed = await (await scenario.Viewer.GetAsync(path)).JsonAsync();
        var only = Assert.Single(listed.EnumerateArray());
        Assert.False(only.TryGetProperty("token", out _));
        var deleted = await scenario.Member.DeleteAsync($"{path}/{registered.GetProperty("id").GetGuid()}");
        await Api.EnsureAsync(deleted, HttpStatusCode.OK);
        Assert.Empty((await (await scenario.Viewer.GetAsync(path)).JsonAsync()).EnumerateArray());
    }

    [Fact]
    public async Task An_https_token_travels_in_a_header_never_in_the_command_line_and_a_refused_one_names_the_token_field()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        // Nothing listens on port 9 of loopback: git fails to connect; the token must not appear in the answer.
        var response = await scenario.Member.PostAsJsonAsync($"/api/v1/teams/{scenario.TeamName}/repositories",
            new { url = "http://127.0.0.1:9/team/app.git", token = "tok_very_secret_value" });
        await Api.EnsureAsync(response, HttpStatusCode.UnprocessableEntity);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("tok_very_secret_value", text);
        Assert.Contains("url", (await response.JsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Following_a_branch_applies_its_workload_and_then_each_new_commit_with_the_tickets_its_message_names()
    {
        var (scenario, app, envId, repo, first) = await FollowedSetupAsync();
        var repositoryId = (await RegisterAsync(scenario, repo.Url)).GetProperty("id").GetGuid();

        var followed = await FollowAsync(scenario, app, repositoryId.ToString(), autoApply: true);
        await Api.EnsureAsync(followed, HttpStatusCode.OK);
        var source = await followed.JsonAsync();
        Assert.Equal(first, source.GetProperty("head").GetString());
        Assert.Equal("OutOfSync", source.GetProperty("state").GetString());
        Assert.Contains("being deployed", source.GetProperty("reason").GetString());
        var deployments = portal.DeploymentsOf(envId);
        Assert.Equal(2, deployments.Count);
        Assert.Equal("registry.example.com/shop/web:1.5", deployments[1].Image);
        Assert.StartsWith(first[..12], deployments[1].Message);
        Assert.NotNull(deployments[1].PlanId);
        Assert.Equal(first, portal.WithDb(db => db.DeploymentCommits.AsNoTracking().Single(c => c.DeploymentId == deployments[1].Id).Sha));
        await portal.MarkSucceededAsync(deployments[1].Id);
        source = await SourceAsync(scenario, app);
        Assert.Equal(("Synced", first), (source.GetProperty("state").GetString(), source.GetProperty("running").GetProperty("sha").GetString()));
        Assert.Equal("First workload", source.GetProperty("running").GetProperty("message").GetString());
        Assert.Equal("Ada Tester <ada@example.com>", source.GetProperty("running").GetProperty("author").GetString());

        var second = await repo.CommitAsync("PAY-77: serve 2.0", Files(app, "registry.example.com/shop/web:2.0"));
        await SyncAsync(repositoryId);
        deployments = portal.DeploymentsOf(envId);
        Assert.Equal(3, deployments.Count);
        Assert.Equal("registry.example.com/shop/web:2.0", deployments[2].Image);
        Assert.Equal(["PAY-77"], deployments[2].Tickets);
        Assert.True(portal.WithDb(db => db.Tickets.AsNoTracking().Any(t => t.TeamId == scenario.Team.Id && t.Key == "PAY-77" && t.FirstCommitAt != null)));
        await portal.MarkSucceededAsync(deployments[2].Id);
        source = await SourceAsync(scenario, app);
        Assert.Equal(("Synced", second), (source.GetProperty("state").GetString(), source.GetProperty("running").GetProperty("sha").GetString()));
        var revisions = portal.WithDb(db => db.WorkloadRevisions.AsNoTracking().Where(r => r.ApplicationId == deployments[2].ApplicationId).Count());
        Assert.Equal(3, revisions);

        // Nothing moved: another look fetches nothing and plans nothing.
        await SyncAsync(repositoryId);
        Assert.Equal(3, portal.DeploymentsOf(envId).Count);

        // A force-push is a head like any other.
        var rewritten = await repo.ResetAndForcePushAsync("Rewritten: serve 2.1", Files(app, "registry.example.com/shop/web:2.1"));
        await SyncAsync(repositoryId);
        deployments = portal.DeploymentsOf(envId);
        Assert.Equal(4, deployments.Count);
        Assert.Equal("registry.example.com/shop/web:2.1", deployments[3].Image);
        Assert.Equal(rewritten, portal.WithDb(db => db.DeploymentCommits.AsNoTracking().Single(c => c.DeploymentId == deployments[3].Id).Sha));
    }

    [Fact]
    public async Task An_invalid_workload_at_a_commit_keeps_the_last_good_one_running_and_names_file_line_and_commit()
    {
        var (scenario, app, envId, repo, first) = await FollowedSetupAsync();
        var repositoryId = (await RegisterAsync(scenario, repo.Url)).GetProperty("id").GetGuid();
        await Api.EnsureAsync(await FollowAsync(scenario, app, repo.Url, autoApply: true), HttpStatusCode.OK);
        await portal.MarkSucceededAsync(portal.DeploymentsOf(envId)[1].Id);

        var bad = await repo.CommitAsync("Typo", Files(app, "registry.example.com/shop/web:3.0", "    replicasz: 3\n"));
        await SyncAsync(repositoryId);

        Assert.Equal(2, portal.DeploymentsOf(envId).Count);
        var source = await SourceAsync(scenario, app);
        Assert.Equal("Error", source.GetProperty("state").GetString());
        var reason = source.GetProperty("reason").GetString()!;
        Assert.Contains("deploy/score.yaml:11:", reason);
        Assert.Contains(bad[..12], reason);
        Assert.Equal(first, source.GetProperty("running").GetProperty("sha").GetString());
        Assert.Equal(bad, source.GetProperty("head").GetString());

        // The fix is followed as soon as it lands.
        var fix = await repo.CommitAsync("Fix the typo", Files(app, "registry.example.com/shop/web:3.0"));
        await SyncAsync(repositoryId);
        Assert.Equal(3, portal.DeploymentsOf(envId).Count);
        Assert.Equal(fix, (await SourceAsync(scenario, app)).GetProperty("head").GetString());
    }

    [Fact]
    public async Task Without_auto_apply_a_new_commit_waits_as_the_next_one_with_its_plan_until_someone_applies_it()
    {
        var (scenario, app, envId, repo, _) = await FollowedSetupAsync();
        var repositoryId = (await RegisterAsync(scenario, repo.Url)).GetProperty("id").GetGuid();
        var followed = await (await FollowAsync(scenario, app, repositoryId.ToString(), autoApply: false)).JsonAsync();
        Assert.Equal("OutOfSync", followed.GetProperty("state").GetString());
        var next = followed.GetProperty("next");
        Assert.Single(portal.DeploymentsOf(envId));

        var applied = await scenario.Member.PostAsync(next.GetProperty("planUrl").GetString() + "/apply", null);
        await Api.EnsureAsync(applied, HttpStatusCode.Accepted);
        await portal.MarkSucceededAsync(portal.DeploymentsOf(envId)[1].Id);
        await SyncAsync(repositoryId);
        var source = await SourceAsync(scenario, app);
        Assert.Equal("Synced", source.GetProperty("state").GetString());
        Assert.Equal(next.GetProperty("commit").GetProperty("sha").GetString(), source.GetProperty("running").GetProperty("sha").GetString());
        Assert.False(source.TryGetProperty("next", out var waiting) && waiting.ValueKind != JsonValueKind.Null, "No commit waits any more.");
    }

    [Fact]
    public async Task A_missing_ref_path_or_invalid_first_workload_is_refused_with_the_field_named()
    {
        var (scenario, app, _, repo, first) = await FollowedSetupAsync();
        var repositoryId = (await RegisterAsync(scenario, repo.Url)).GetProperty("id").GetGuid().ToString();

        var noRef = await FollowAsync(scenario, app, repositoryId, autoApply: true, reference: "release");
        await Api.EnsureAsync(noRef, HttpStatusCode.UnprocessableEntity);
        Assert.True((await noRef.JsonAsync()).GetProperty("errors").TryGetProperty("ref", out _));

        var noPath = await FollowAsync(scenario, app, repositoryId, autoApply: true, path: "score.yaml");
        await Api.EnsureAsync(noPath, HttpStatusCode.UnprocessableEntity);
        Assert.Contains($"score.yaml does not exist at commit {first[..12]}", (await noPath.JsonAsync()).GetProperty("errors").GetProperty("path")[0].GetString());

        await repo.CommitAsync("Bad", new Dictionary<string, string> { ["bad.yaml"] = "apiVersion: score.dev/v1b1\ncontainers: 3\n" });
        var invalid = await FollowAsync(scenario, app, repositoryId, autoApply: true, path: "bad.yaml");
        await Api.EnsureAsync(invalid, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("bad.yaml:", (await invalid.JsonAsync()).GetProperty("errors").GetProperty("path")[0].GetString());
        var none = await scenario.Viewer.GetAsync($"/api/v1/apps/{app}/environments/dev/source");
        await Api.EnsureAsync(none, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Edits_of_a_followed_environments_workload_are_refused_with_where_the_file_lives_until_it_stops_following()
    {
        var (scenario, app, _, repo, _) = await FollowedSetupAsync();
        await RegisterAsync(scenario, repo.Url);
        await Api.EnsureAsync(await FollowAsync(scenario, app, repo.Url, autoApply: false), HttpStatusCode.OK);

        var plan = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/apps/{app}/environments/dev/plans")
        {
            Content = new StringContent(Workload(app, "registry.example.com/shop/web:9.0"), System.Text.Encoding.UTF8, "application/yaml"),
        };
        var refused = await scenario.Member.SendAsync(plan);
        await Api.EnsureAsync(refused, HttpStatusCode.Conflict);
        var detail = (await refused.JsonAsync()).GetProperty("detail").GetString()!;
        Assert.Contains(repo.Url, detail);
        Assert.Contains("'main'", detail);
        Assert.Contains("deploy/score.yaml", detail);
        var overrideRefused = await scenario.Member.PutAsync($"/api/v1/apps/{app}/environments/dev/workload/override",
            new StringContent("replicas: 2\n", System.Text.Encoding.UTF8, "application/yaml"));
        await Api.EnsureAsync(overrideRefused, HttpStatusCode.Conflict);
        var patchRefused = await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{app}/environments/dev", new { image = "registry.example.com/shop/web:9.1" });
        await Api.EnsureAsync(patchRefused, HttpStatusCode.Conflict);
        var unrelated = await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{app}/environments/dev", new { stopGracePeriodSeconds = 5 });
        await Api.EnsureAsync(unrelated, HttpStatusCode.OK);

        await Api.EnsureAsync(await scenario.Member.DeleteAsync($"/api/v1/apps/{app}/environments/dev/source"), HttpStatusCode.OK);
        var allowed = await scenario.Member.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/apps/{app}/environments/dev/plans")
        {
            Content = new StringContent(Workload(app, "registry.example.com/shop/web:9.0"), System.Text.Encoding.UTF8, "application/yaml"),
        });
        await Api.EnsureAsync(allowed, HttpStatusCode.Created);
    }

    private const string VolumeResource = "resources:\n  data:\n    type: volume\n";

    [Fact]
    public async Task An_automatic_apply_that_deletes_a_stateful_resource_waits_for_a_person_unless_the_source_allows_it()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var envId = portal.EnvironmentId(app, "dev");
        await portal.MarkSucceededAsync(Assert.Single(portal.DeploymentsOf(envId)).Id);
        var repo = await _git.CreateRepositoryAsync(Unique.Name("repo"));
        await repo.CommitAsync("With a volume", Files(app, "registry.example.com/shop/web:1.5", VolumeResource));
        var repositoryId = (await RegisterAsync(scenario, repo.Url)).GetProperty("id").GetGuid();
        var followed = await (await FollowAsync(scenario, app, repo.Url, autoApply: true)).JsonAsync();
        Assert.False(followed.GetProperty("allowStatefulDeletes").GetBoolean());
        await portal.MarkSucceededAsync(portal.DeploymentsOf(envId)[1].Id);

        var dropped = await repo.CommitAsync("Drop the volume", Files(app, "registry.example.com/shop/web:1.6"));
        await SyncAsync(repositoryId);

        Assert.Equal(2, portal.DeploymentsOf(envId).Count);
        var source = await SourceAsync(scenario, app);
        Assert.Equal("OutOfSync", source.GetProperty("state").GetString());
        var reason = source.GetProperty("reason").GetString()!;
        Assert.Contains($"Commit {dropped[..12]} is planned and waits to be applied by a person", reason);
        Assert.Contains("deletes the data of data (volume)", reason);
        Assert.Contains("allowStatefulDeletes: false", reason);
        Assert.Equal(dropped, source.GetProperty("next").GetProperty("commit").GetProperty("sha").GetString());

        // Allowed now: the waiting commit is looked at again and applied, its data loss confirmed by the policy.
        var allowed = await scenario.Member.PutAsJsonAsync($"/api/v1/apps/{app}/environments/dev/source",
            new { repository = repo.Url, @ref = "main", path = "deploy/score.yaml", autoApply = true, allowStatefulDeletes = true });
        await Api.EnsureAsync(allowed, HttpStatusCode.OK);
        Assert.True((await allowed.JsonAsync()).GetProperty("allowStatefulDeletes").GetBoolean());
        var deployments = portal.DeploymentsOf(envId);
        Assert.Equal(3, deployments.Count);
        Assert.Equal("registry.example.com/shop/web:1.6", deployments[2].Image);
        Assert.Equal(dropped, portal.WithDb(db => db.DeploymentCommits.AsNoTracking().Single(c => c.DeploymentId == deployments[2].Id).Sha));
    }

    [Fact]
    public async Task Edits_of_a_followed_apps_own_settings_are_refused_and_with_allow_edits_they_go_through_and_show_as_drift()
    {
        var (scenario, app, envId, repo, _) = await FollowedSetupAsync();
        await RegisterAsync(scenario, repo.Url);
        await Api.EnsureAsync(await FollowAsync(scenario, app, repo.Url, autoApply: true), HttpStatusCode.OK);
        await portal.MarkSucceededAsync(portal.DeploymentsOf(envId)[1].Id);

        var refused = await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{app}", new { image = "registry.example.com/shop/web:9.1" });
        await Api.EnsureAsync(refused, HttpStatusCode.Conflict);
        var detail = (await refused.JsonAsync()).GetProperty("detail").GetString()!;
        Assert.Contains("Environment 'dev' of this application follows git", detail);
        Assert.Contains(repo.Url, detail);
        Assert.Contains("deploy/score.yaml", detail);
        var unrelated = await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{app}", new { description = "Described in Paddock" });
        await Api.EnsureAsync(unrelated, HttpStatusCode.OK);

        var allowEdits = await scenario.Member.PutAsJsonAsync($"/api/v1/apps/{app}/environments/dev/source",
            new { repository = repo.Url, @ref = "main", path = "deploy/score.yaml", autoApply = true, allowEdits = true });
        await Api.EnsureAsync(allowEdits, HttpStatusCode.OK);
        Assert.True((await allowEdits.JsonAsync()).GetProperty("allowEdits").GetBoolean());
        var plan = await scenario.Member.PostAsync($"/api/v1/apps/{app}/environments/dev/plans",
            new StringContent(Workload(app, "registry.example.com/shop/web:9.0"), System.Text.Encoding.UTF8, "application/yaml"));
        await Api.EnsureAsync(plan, HttpStatusCode.Created);
        var applied = await scenario.Member.PostAsync((await plan.JsonAsync()).GetProperty("applyUrl").GetString(), null);
        await Api.EnsureAsync(applied, HttpStatusCode.Accepted);
        await portal.MarkSucceededAsync(portal.DeploymentsOf(envId)[^1].Id);

        var source = await SourceAsync(scenario, app);
        Assert.Equal("Drifted", source.GetProperty("state").GetString());
        Assert.Contains("made outside git", source.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_signed_github_push_or_generic_delivery_makes_the_repository_followed_at_once()
    {
        var (scenario, app, envId, repo, _) = await FollowedSetupAsync();
        await RegisterAsync(scenario, repo.Url);
        await Api.EnsureAsync(await FollowAsync(scenario, app, repo.Url, autoApply: true), HttpStatusCode.OK);
        Assert.Equal(2, portal.DeploymentsOf(envId).Count);
        var github = await scenario.CreateHookAsync("github");

        var pushed = await repo.CommitAsync("Serve 4.0", Files(app, "registry.example.com/shop/web:4.0"));
        var delivered = await portal.DeliverAsync(github, WebhookTestKit.Json(new
        {
            @ref = "refs/heads/main",
            after = pushed,
            repository = new { clone_url = repo.Url.Replace("git://", "https://") + "/", git_url = repo.Url },
            commits = new[] { new { id = pushed, message = "Serve 4.0", timestamp = DateTime.UtcNow.ToString("O") } },
        }), githubEvent: "push");
        await Api.EnsureAsync(delivered, HttpStatusCode.OK);
        await WaitForAsync(() => portal.DeploymentsOf(envId).Count == 3);
        Assert.Equal("registry.example.com/shop/web:4.0", portal.DeploymentsOf(envId)[2].Image);

        var generic = await scenario.CreateHookAsync("generic");
        await repo.CommitAsync("Serve 4.1", Files(app, "registry.example.com/shop/web:4.1"));
        var genericDelivery = await portal.DeliverAsync(generic, WebhookTestKit.Json(new { repository = repo.Url, branch = "main" }));
        await Api.EnsureAsync(genericDelivery, HttpStatusCode.OK);
        await WaitForAsync(() => portal.DeploymentsOf(envId).Count == 4);
        Assert.Equal("registry.example.com/shop/web:4.1", portal.DeploymentsOf(envId)[3].Image);
    }

    private static string SourcingWorkload(string app, string source) => Workload(app, "registry.example.com/shop/web:1.5",
        $"    files:\n      /etc/shop/app.conf:\n        mode: \"0640\"\n        source: {source}\n");

    [Fact]
    public async Task A_files_source_is_read_beside_the_workload_at_its_commit_and_a_commit_changing_only_that_file_is_planned_and_applied()
    {
        var (scenario, app, envId, repo, _) = await FollowedSetupAsync();
        await repo.CommitAsync("Configured from a file", new Dictionary<string, string>
        {
            ["deploy/score.yaml"] = SourcingWorkload(app, "./config/app.conf"),
            ["deploy/config/app.conf"] = "name = ${metadata.name}\ncolour = blue\n",
        });
        var repositoryId = (await RegisterAsync(scenario, repo.Url)).GetProperty("id").GetGuid();
        await Api.EnsureAsync(await FollowAsync(scenario, app, repositoryId.ToString(), autoApply: true), HttpStatusCode.OK);
        var deployments = portal.DeploymentsOf(envId);
        Assert.Equal(2, deployments.Count);
        var file = Assert.Single(deployments[1].Snapshot.Files!);
        Assert.Equal(("/etc/shop/app.conf", "0640", $"name = {app}\ncolour = blue\n"), (file.Target, file.Mode, file.Content));
        await portal.MarkSucceededAsync(deployments[1].Id);

        // Only the sourced file changes: the plan says so and the new content is applied.
        var green = await repo.CommitAsync("Green", new Dictionary<string, string> { ["deploy/config/app.conf"] = "name = ${metadata.name}\ncolour = green\n" });
        await SyncAsync(repositoryId);
        deployments = portal.DeploymentsOf(envId);
        Assert.Equal(3, deployments.Count);
        Assert.Equal($"name = {app}\ncolour = green\n", Assert.Single(deployments[2].Snapshot.Files!).Content);
        var plan = await (await scenario.Viewer.GetAsync($"/api/v1/plans/{deployments[2].PlanId}")).JsonAsync();
        Assert.Equal("Plan: 0 to add, 1 to change, 0 to destroy", plan.GetProperty("summary").GetString());
        Assert.Contains("files./etc/shop/app.conf", plan.GetRawText());
        Assert.Contains("colour = green", plan.GetRawText());
        Assert.Equal(green, portal.WithDb(db => db.DeploymentCommits.AsNoTracking().Single(c => c.DeploymentId == deployments[2].Id).Sha));
        await portal.MarkSucceededAsync(deployments[2].Id);

        // A source outside the repository, or missing, changes nothing that runs and says where and why.
        var escaping = await repo.CommitAsync("Escape", new Dictionary<string, string> { ["deploy/score.yaml"] = SourcingWorkload(app, "../../etc/passwd") });
        await SyncAsync(repositoryId);
        Assert.Equal(3, portal.DeploymentsOf(envId).Count);
        var source = await SourceAsync(scenario, app);
        Assert.Equal("Error", source.GetProperty("state").GetString());
        var reason = source.GetProperty("reason").GetString()!;
        Assert.Contains("deploy/score.yaml:14:", reason);
        Assert.Contains("stays inside the repository", reason);
        Assert.Contains(escaping[..12], reason);
        await repo.CommitAsync("Missing", new Dictionary<string, string> { ["deploy/score.yaml"] = SourcingWorkload(app, "nowhere.conf") });
        await SyncAsync(repositoryId);
        Assert.Contains("deploy/nowhere.conf does not exist at commit", (await SourceAsync(scenario, app)).GetProperty("reason").GetString());
        Assert.Equal(3, portal.DeploymentsOf(envId).Count);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 300 && !condition(); i++) await Task.Delay(100);
        Assert.True(condition(), "The push was not followed within 30 s.");
    }
}
