using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Domain.Deployments;
using Paddock.Integration.Tests.Applications;
using Paddock.Persistence.Events;
using Paddock.Integration.Tests.Deployments;

namespace Paddock.Integration.Tests.Environments;

public sealed class EventStreamTests(LivePortal portal) : IClassFixture<LivePortal>
{
    private sealed record SseEvent(string? Id, string? Name, JsonElement Data);

    [Fact]
    public async Task The_event_stream_sends_what_came_after_Last_Event_ID_then_live_events_as_they_commit()
    {
        var admin = portal.Client(portal.AdminToken);
        var (app, envId) = await EnvironmentAsync(admin);
        await Api.EnsureAsync(await admin.PostAsJsonAsync($"/api/v1/apps/{app}/environments/dev/deployments", new { message = "second" }), HttpStatusCode.Accepted);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/apps/{app}/environments/dev/events");
        request.Headers.Add("Last-Event-ID", "1");
        using var response = await admin.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        await Api.EnsureAsync(response, HttpStatusCode.OK);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        var backlog = await ReadEventAsync(reader, timeout.Token);
        Assert.Equal(("2", "queued"), (backlog.Id, backlog.Name));
        Assert.Equal(2, backlog.Data.GetProperty("sequence").GetInt64());
        Assert.Equal("Info", backlog.Data.GetProperty("level").GetString());

        await using (var scope = portal.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<EnvironmentEventLog>()
                .AppendAsync(envId, null, "pulling", EventLevel.Info, "Pulling localhost/paddock-demo:1", CancellationToken.None);

        var live = await ReadEventAsync(reader, timeout.Token);
        Assert.Equal(("3", "pulling"), (live.Id, live.Name));
        Assert.Equal("Pulling localhost/paddock-demo:1", live.Data.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Events_written_together_get_the_next_numbers_in_order_with_their_own_times_and_all_reach_the_stream()
    {
        var admin = portal.Client(portal.AdminToken);
        var (app, envId) = await EnvironmentAsync(admin);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/apps/{app}/environments/dev/events");
        request.Headers.Add("Last-Event-ID", "1");
        using var response = await admin.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        await Api.EnsureAsync(response, HttpStatusCode.OK);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var t0 = new DateTime(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var log = scope.ServiceProvider.GetRequiredService<EnvironmentEventLog>();
            var deploymentId = Guid.NewGuid();
            await log.AppendManyAsync(envId, [
                new PendingEvent(t0, deploymentId, "create", EventLevel.Info, "Created instance a"),
                new PendingEvent(t0.AddMilliseconds(130), deploymentId, "start", EventLevel.Info, "Started instance a"),
                new PendingEvent(t0.AddMilliseconds(140), null, "probe", EventLevel.Warning, "Probing a"),
            ], CancellationToken.None);
            await log.AppendAsync(envId, null, "after", EventLevel.Info, "one more, alone", CancellationToken.None);
        }

        var received = new List<SseEvent>();
        for (var i = 0; i < 4; i++) received.Add(await ReadEventAsync(reader, timeout.Token));
        Assert.Equal(["2", "3", "4", "5"], received.Select(e => e.Id));
        Assert.Equal(["create", "start", "probe", "after"], received.Select(e => e.Name));
        Assert.Equal(t0.AddMilliseconds(130), received[1].Data.GetProperty("at").GetDateTime().ToUniversalTime());
        Assert.Equal("Warning", received[2].Data.GetProperty("level").GetString());
    }

    [Fact]
    public async Task The_events_can_be_listed_as_json_after_a_sequence_number()
    {
        var admin = portal.Client(portal.AdminToken);
        var (app, _) = await EnvironmentAsync(admin);
        await Api.EnsureAsync(await admin.PostAsJsonAsync($"/api/v1/apps/{app}/environments/dev/deployments", new { }), HttpStatusCode.Accepted);

        var all = await (await admin.GetAsync($"/api/v1/apps/{app}/environments/dev/events?format=json")).JsonAsync();
        var later = await (await admin.GetAsync($"/api/v1/apps/{app}/environments/dev/events?format=json&after=1")).JsonAsync();
        var bad = await admin.GetAsync($"/api/v1/apps/{app}/environments/dev/events?after=minus-one");

        Assert.Equal([1L, 2L], all.EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()));
        Assert.Equal([2L], later.EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Logs_of_an_environment_whose_engine_is_unreachable_are_a_503_with_the_reason()
    {
        var admin = portal.Client(portal.AdminToken);
        var (app, envId) = await EnvironmentAsync(admin, LivePortal.UnreachableBackend);
        // As a worker would have left it: the deployment started, so there are instances to ask the engine about.
        await portal.WithDbAsync(async db =>
        {
            var env = db.Environments.Single(e => e.Id == envId);
            env.DeploymentStarted();
            return await db.SaveChangesAsync();
        });

        var response = await admin.GetAsync($"/api/v1/apps/{app}/environments/dev/logs?tail=5");

        await Api.EnsureAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("127.0.0.1:9", (await response.JsonAsync()).GetProperty("detail").GetString());
    }

    private async Task<(string App, Guid EnvironmentId)> EnvironmentAsync(HttpClient admin, string backend = "docker")
    {
        var team = Unique.Name("team");
        var app = Unique.Name("app");
        await Api.EnsureAsync(await admin.PostAsJsonAsync("/api/v1/teams", new { name = team }), HttpStatusCode.Created);
        await Api.EnsureAsync(await admin.PostAsJsonAsync("/api/v1/apps", new { name = app, team, image = "localhost/paddock-demo:1", port = 8080 }), HttpStatusCode.Created);
        var env = await admin.PostAsJsonAsync($"/api/v1/apps/{app}/environments", new { name = "dev", stage = "Development", backend });
        await Api.EnsureAsync(env, HttpStatusCode.Created);
        return (app, (await env.JsonAsync()).GetProperty("id").GetGuid());
    }

    /// <summary>Reads lines up to the blank line that ends one event, skipping keep-alive comments.</summary>
    private static async Task<SseEvent> ReadEventAsync(StreamReader reader, CancellationToken ct)
    {
        string? id = null, name = null, data = null;
        while (true)
        {
            var line = await reader.ReadLineAsync(ct) ?? throw new EndOfStreamException("The event stream ended.");
            if (line.Length == 0)
            {
                if (data is not null) return new SseEvent(id, name, JsonDocument.Parse(data).RootElement);
                continue;
            }
            if (line.StartsWith(':')) continue;
            var (field, value) = line.IndexOf(':') is var colon and > 0 ? (line[..colon], line[(colon + 1)..].TrimStart()) : (line, "");
            switch (field)
            {
                case "id": id = value; break;
                case "event": name = value; break;
                case "data": data = value; break;
            }
        }
    }
}
