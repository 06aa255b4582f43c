using System.Net;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Delivery;
using Paddock.Domain.Deployments;
using Paddock.Domain.Tickets;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Infrastructure;
using static Paddock.Integration.Tests.Webhooks.WebhookTestKit;

namespace Paddock.Integration.Tests.Webhooks;

public sealed class WebhookReceiverTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static readonly DateTime T0 = new(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);

    private static string Push(string branch, params (string Message, DateTime At)[] commits) => Json(new
    {
        @ref = $"refs/heads/{branch}",
        after = "0123456789abcdef0123456789abcdef01234567",
        commits = commits.Select((c, i) => new { id = $"c{i}", message = c.Message, timestamp = c.At.ToString("yyyy-MM-ddTHH:mm:ssK") }),
    });

    private List<Ticket> TicketsOf(Guid teamId) => portal.WithDb(db => db.Tickets.AsNoTracking().Where(t => t.TeamId == teamId).OrderBy(t => t.Key).ToList());

    private int DeliveriesOf(Guid hookId) => portal.WithDb(db => db.WebhookDeliveries.Count(d => d.WebhookId == hookId));

    [Fact]
    public async Task A_signed_github_push_records_the_tickets_named_in_commits_and_branch_with_their_first_commit_time()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var hook = await scenario.CreateHookAsync("github");
        var correlation = Guid.NewGuid().ToString("N");

        var response = await portal.DeliverAsync(hook, Push("feature/PAY-7-totals", ("PAY-12: round totals", T0.AddHours(2)), ("more on PAY-12 and OPS-3", T0.AddHours(1))),
            githubEvent: "push", correlationId: correlation);

        await Api.EnsureAsync(response, HttpStatusCode.OK);
        var tickets = TicketsOf(scenario.Team.Id);
        Assert.Equal(["OPS-3", "PAY-12", "PAY-7"], tickets.Select(t => t.Key));
        Assert.Equal(T0.AddHours(1), tickets.Single(t => t.Key == "PAY-12").FirstCommitAt);
        Assert.Equal(T0.AddHours(1), tickets.Single(t => t.Key == "PAY-7").FirstCommitAt);
        Assert.All(tickets, t => Assert.Equal("github", t.Source));
        var audit = Assert.Single(portal.AuditOf(correlation));
        Assert.Equal(("webhook.received", $"webhook:{hook.Id}"), (audit.Action, audit.ActorId));
    }

    [Fact]
    public async Task A_later_push_with_an_earlier_commit_moves_the_first_commit_back_but_never_forward()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var hook = await scenario.CreateHookAsync("github");
        await portal.DeliverAsync(hook, Push("main", ("PAY-1 start", T0.AddHours(5))), githubEvent: "push");
        await portal.DeliverAsync(hook, Push("main", ("PAY-1 later", T0.AddHours(9))), githubEvent: "push");
        Assert.Equal(T0.AddHours(5), TicketsOf(scenario.Team.Id).Single().FirstCommitAt);
        await portal.DeliverAsync(hook, Push("main", ("PAY-1 rebased", T0.AddHours(3))), githubEvent: "push");
        Assert.Equal(T0.AddHours(3), TicketsOf(scenario.Team.Id).Single().FirstCommitAt);
    }

    [Theory]
    [InlineData("wrong-secret")]
    [InlineData(null)]
    public async Task A_bad_or_missing_signature_gets_401_is_audited_and_stores_nothing(string? signWith)
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var hook = await scenario.CreateHookAsync("github");
        var correlation = Guid.NewGuid().ToString("N");

        var response = await portal.DeliverAsync(hook, Push("main", ("PAY-1 x", T0)), signWith, githubEvent: "push", correlationId: correlation);

        await Api.EnsureAsync(response, HttpStatusCode.Unauthorized);
        Assert.Empty(TicketsOf(scenario.Team.Id));
        Assert.Equal(0, DeliveriesOf(hook.Id));
        var audit = Assert.Single(portal.AuditOf(correlation));
        Assert.Equal(("webhook.rejected", hook.Id.ToString(), (Guid?)scenario.Team.Id), (audit.Action, audit.TargetId, audit.TeamId));
    }

    [Fact]
    public async Task A_signature_over_other_bytes_is_refused_even_when_the_json_means_the_same()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var hook = await scenario.CreateHookAsync("generic");
        var signed = System.Text.Encoding.UTF8.GetBytes("""{"tickets":[{"key":"PAY-1"}]}""");
        var request = new HttpRequestMessage(HttpMethod.Post, hook.Path) { Content = new StringContent("""{ "tickets": [{"key":"PAY-1"}] }""") };
        request.Headers.Add(Paddock.Portal.Features.Webhooks.WebhookReceiver.SignatureHeader, Paddock.Portal.Features.Webhooks.WebhookReceiver.Sign(hook.Secret, signed));
        var response = await portal.ClientWithToken(null).SendAsync(request);
        await Api.EnsureAsync(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"tickets":"PAY-1"}""")]
    [InlineData("""{"tickets":[{"title":"no key"}]}""")]
    [InlineData("""{"tickets":[{"key":"not a key"}]}""")]
    [InlineData("""{"tickets":[{"key":"PAY-1","createdAt":"yesterday"}]}""")]
    [InlineData("[1,2]")]
    public async Task A_malformed_payload_gets_400_and_stores_nothing(string json)
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var hook = await scenario.CreateHookAsync("generic");
        var before = portal.AuditCount();

        var response = await portal.DeliverAsync(hook, json);

        await Api.EnsureAsync(response, HttpStatusCode.BadRequest);
        Assert.Empty(TicketsOf(scenario.Team.Id));
        Assert.Equal(0, DeliveriesOf(hook.Id));
        Assert.Equal(before, portal.AuditCount());
    }

    [Fact]
    public async Task A_replayed_delivery_id_is_ignored()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var hook = await scenario.CreateHookAsync("generic");
        var delivery = Guid.NewGuid().ToString();
        var first = await portal.DeliverAsync(hook, Json(new { tickets = new[] { new { key = "PAY-1", title = "First" } } }), deliveryId: delivery);
        await Api.EnsureAsync(first, HttpStatusCode.OK);
        var before = portal.AuditCount();

        var replay = await portal.DeliverAsync(hook, Json(new { tickets = new[] { new { key = "PAY-1", title = "Changed by a replay" } } }), deliveryId: delivery);

        await Api.EnsureAsync(replay, HttpStatusCode.OK);
        Assert.Equal("replay", (await replay.JsonAsync()).GetProperty("ignored").GetString());
        Assert.Equal("First", TicketsOf(scenario.Team.Id).Single().Title);
        Assert.Equal(before, portal.AuditCount());
        Assert.Equal(1, DeliveriesOf(hook.Id));
    }

    [Fact]
    public async Task Deliveries_beyond_the_per_hook_rate_get_429_while_other_hooks_go_on()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var busy = await scenario.CreateHookAsync("generic");
        var quiet = await scenario.CreateHookAsync("generic");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 61; i++) statuses.Add((await portal.DeliverAsync(busy, "{}")).StatusCode);

        Assert.All(statuses.Take(60), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[60]);
        await Api.EnsureAsync(await portal.DeliverAsync(quiet, "{}"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Jira_issue_created_and_updated_set_title_type_url_and_tracker_creation_time()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var hook = await scenario.CreateHookAsync("jira");
        object Issue(string eventName, string summary, string type) => new
        {
            webhookEvent = eventName,
            issue = new { key = "PAY-40", self = "https://tracker.example.com/rest/api/2/issue/10040", fields = new { summary, issuetype = new { name = type }, created = "2026-11-02T09:00:00.000+0100" } },
        };

        await Api.EnsureAsync(await portal.DeliverAsync(hook, Json(Issue("jira:issue_created", "Totals are off", "Story"))), HttpStatusCode.OK);
        var created = TicketsOf(scenario.Team.Id).Single();
        Assert.Equal(("Totals are off", TicketType.Feature, T0.AddHours(-1), "https://tracker.example.com/browse/PAY-40"),
            (created.Title, created.Type, created.CreatedAt!.Value, created.Url));

        await Api.EnsureAsync(await portal.DeliverAsync(hook, Json(Issue("jira:issue_updated", "Totals are off by a cent", "Bug"))), HttpStatusCode.OK);
        var updated = TicketsOf(scenario.Team.Id).Single();
        Assert.Equal(("Totals are off by a cent", TicketType.Bug), (updated.Title, updated.Type));
    }

    [Fact]
    public async Task The_generic_shape_records_tickets_and_the_keys_in_its_commits()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var hook = await scenario.CreateHookAsync("generic");
        var response = await portal.DeliverAsync(hook, Json(new
        {
            tickets = new[] { new { key = "PAY-2", title = "Refunds", url = "https://tracker.example.com/PAY-2", type = "hotfix", createdAt = "2026-11-02T09:00:00Z" } },
            commits = new[] { new { sha = "abc", message = "PAY-2 and PAY-3", timestamp = "2026-11-02T10:00:00Z" } },
        }));

        await Api.EnsureAsync(response, HttpStatusCode.OK);
        var tickets = TicketsOf(scenario.Team.Id);
        Assert.Equal(["PAY-2", "PAY-3"], tickets.Select(t => t.Key));
        Assert.Equal((TicketType.Hotfix, T0, T0.AddHours(1)), (tickets[0].Type, tickets[0].CreatedAt!.Value, tickets[0].FirstCommitAt!.Value));
    }

    [Fact]
    public async Task A_github_pull_request_names_tickets_in_its_title_body_and_branch()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var hook = await scenario.CreateHookAsync("github");
        var response = await portal.DeliverAsync(hook, Json(new { action = "opened", pull_request = new { title = "PAY-5: refunds", body = "Also fixes OPS-9", head = new { @ref = "pay-5-x/PAY-6" } } }),
            githubEvent: "pull_request");
        await Api.EnsureAsync(response, HttpStatusCode.OK);
        Assert.Equal(["OPS-9", "PAY-5", "PAY-6"], TicketsOf(scenario.Team.Id).Select(t => t.Key));
    }

    [Fact]
    public async Task An_unknown_hook_or_a_source_that_does_not_match_is_404()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var hook = await scenario.CreateHookAsync("github");
        await Api.EnsureAsync(await portal.DeliverAsync(hook with { Source = "jira" }, "{}"), HttpStatusCode.NotFound);
        await Api.EnsureAsync(await portal.DeliverAsync(hook with { Id = Guid.NewGuid() }, "{}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_push_to_the_configured_branch_queues_the_image_with_the_pushed_sha_carrying_its_tickets()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var app = Unique.Name("app");
        await scenario.CreateAppAsync(app);
        await scenario.CreateEnvironmentAsync(app, "dev");
        var hook = await scenario.CreateHookAsync("github", new { deployOnPushBranch = "main", app, environment = "dev", imageTemplate = "registry.example.com/shop/web:{sha}" });
        var correlation = Guid.NewGuid().ToString("N");

        var other = await portal.DeliverAsync(hook, Push("feature/x", ("PAY-8 wip", T0)), githubEvent: "push");
        var response = await portal.DeliverAsync(hook, Push("main", ("PAY-8 done", T0.AddHours(1))), githubEvent: "push", correlationId: correlation);

        await Api.EnsureAsync(other, HttpStatusCode.OK);
        await Api.EnsureAsync(response, HttpStatusCode.OK);
        var deploymentId = (await response.JsonAsync()).GetProperty("deploymentId").GetGuid();
        var deployment = portal.WithDb(db => db.Deployments.AsNoTracking().Single(d => d.Id == deploymentId));
        Assert.Equal("registry.example.com/shop/web:0123456789abcdef0123456789abcdef01234567", deployment.Snapshot.Image);
        Assert.Equal(["PAY-8"], deployment.Tickets);
        Assert.Equal((DeploymentStatus.Queued, $"webhook:{hook.Id}"), (deployment.Status, deployment.TriggeredById));
        Assert.Equal(T0, TicketsOf(scenario.Team.Id).Single().FirstCommitAt);
        // The pushed image becomes the environment's image, audited beside the deployment.
        Assert.Equal(["deployment.queued", "environment.image_changed"], portal.AuditOf(correlation).Select(a => a.Action).Order());
        Assert.Equal(2, DeliveriesOf(hook.Id)); // the first by itself, the second with its deployment
    }
}
