using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Paddock.Domain.Applications;
using Paddock.Domain.Edge;
using Paddock.Persistence;

namespace Paddock.Workers.Rollout;

/// <summary>Points an environment's edge route at a deployment's instances and waits until the edge proxy has
/// applied it (it sets <c>applied_version</c>), so old instances are only removed once no request goes to them.</summary>
public sealed class EdgeSwitch(PaddockDbContext db, IOptions<EdgeSettings> settings, TimeProvider clock)
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };

    public EdgeSettings Settings => settings.Value;

    /// <summary>The same switch on another context: for a caller whose own context is busy meanwhile.</summary>
    public EdgeSwitch On(PaddockDbContext context) => new(context, settings, clock);

    /// <summary>The route as it is now (what to go back to if a switch fails), or null.</summary>
    public Task<EdgeRoute?> CurrentAsync(Guid environmentId, CancellationToken ct) =>
        db.EdgeRoutes.AsNoTracking().SingleOrDefaultAsync(r => r.EnvironmentId == environmentId, ct);

    /// <summary>Writes the route (deployment, upstreams, version + 1; a new route starts at version 1), then wakes the
    /// edge with the route it wrote (<see cref="EdgeRouteNotice"/>: the edge serves the notice's route without reading the
    /// table). Returns the version the edge has to acknowledge. Joins the caller's transaction when there is one.</summary>
    public async Task<long> PointAsync(Guid environmentId, string host, Guid deploymentId, IReadOnlyList<string> upstreams, CancellationToken ct) =>
        (await PointAsync(environmentId, host, deploymentId, upstreams, unlessStopped: false, ct))!.Value;

    /// <summary><see cref="PointAsync(Guid, string, Guid, IReadOnlyList{string}, CancellationToken)"/> for a deployment
    /// that is still to go live: nothing is written and no notice sent when it must stop (<see cref="DeploymentStop"/>:
    /// null then). The check is part of the write's statement, so it costs the user no round trip of its own.</summary>
    public Task<long?> PointUnlessStoppedAsync(Guid environmentId, string host, Guid deploymentId, IReadOnlyList<string> upstreams, CancellationToken ct) =>
        PointAsync(environmentId, host, deploymentId, upstreams, unlessStopped: true, ct);

    private async Task<long?> PointAsync(Guid environmentId, string host, Guid deploymentId, IReadOnlyList<string> upstreams,
        bool unlessStopped, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var targets = upstreams.ToArray();
        var versions = await db.Database.SqlQuery<long>($"""
            INSERT INTO edge_routes AS r (environment_id, host, deployment_id, upstreams, version, applied_version, updated_at)
            SELECT {environmentId}, {host}, {deploymentId}, {targets}, 1, 0, {now}
            WHERE NOT {unlessStopped} OR deployment_stop_reason({deploymentId}) IS NULL
            ON CONFLICT (environment_id) DO UPDATE
                SET deployment_id = excluded.deployment_id, upstreams = excluded.upstreams,
                    version = r.version + 1, updated_at = excluded.updated_at
            RETURNING r.version AS "Value"
            """).ToListAsync(ct);
        if (versions.Count == 0) return null;
        await NotifyAsync(EdgeRouteNotice.Carrying(new NoticedRoute(environmentId, host, deploymentId, targets, versions[0])), ct);
        return versions[0];
    }

    /// <summary>Puts back what a failed switch replaced: the previous route, or no route at all.</summary>
    public async Task RestoreAsync(Guid environmentId, EdgeRoute? previous, CancellationToken ct)
    {
        if (previous is not null)
        {
            await PointAsync(environmentId, previous.Host, previous.DeploymentId, previous.Upstreams, ct);
            return;
        }
        await RemoveAsync(environmentId, ct);
    }

    /// <summary>Deletes the environment's route and wakes the edge; joins the caller's transaction.</summary>
    public async Task RemoveAsync(Guid environmentId, CancellationToken ct)
    {
        await db.EdgeRoutes.Where(r => r.EnvironmentId == environmentId).ExecuteDeleteAsync(ct);
        await NotifyAsync(EdgeRouteNotice.ReadRow(environmentId), ct);
    }

    /// <summary>True once the edge applied <paramref name="version"/> (or a later one), false after the ack timeout.</summary>
    public async Task<bool> WaitForAckAsync(Guid environmentId, long version, CancellationToken ct)
    {
        var started = clock.GetUtcNow();
        var deadline = started + TimeSpan.FromSeconds(Settings.AckTimeoutSeconds);
        while (true)
        {
            var applied = await db.EdgeRoutes.AsNoTracking()
                .Where(r => r.EnvironmentId == environmentId)
                .Select(r => (long?)r.AppliedVersion)
                .SingleOrDefaultAsync(ct);
            if (applied >= version) return true;
            var now = clock.GetUtcNow();
            if (now >= deadline) return false;
            // The edge usually answers within a few milliseconds: ask often at first.
            await Task.Delay(TimeSpan.FromMilliseconds(now - started < TimeSpan.FromMilliseconds(100) ? 2 : 10), clock, ct);
        }
    }

    /// <summary>Asks the edge for the environment's health path with its Host header until it answers as the probe
    /// expects: proof that the stable URL reaches the new instances. Null on success, else what went wrong last.</summary>
    public async Task<string?> ProbeThroughEdgeAsync(string host, HealthCheck check, CancellationToken ct)
    {
        var path = check.Kind == HealthCheckKind.Http && !string.IsNullOrEmpty(check.Path) ? check.Path : "/";
        var uri = new Uri(new Uri(Settings.Address), path);
        var deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(Settings.ProbeTimeoutSeconds);
        string last;
        while (true)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                request.Headers.Host = host;
                using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                if (Answers(response.StatusCode, check.Kind)) return null;
                last = $"{uri} with Host {host} answered {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                last = $"{uri} with Host {host} did not answer: {e.Message}";
            }
            if (clock.GetUtcNow() >= deadline) return last;
            await Task.Delay(TimeSpan.FromMilliseconds(100), clock, ct);
        }
    }

    /// <summary>An HTTP check wants a success; for a TCP check any answer the edge did not make up itself will do.</summary>
    private static bool Answers(HttpStatusCode status, HealthCheckKind kind) =>
        kind == HealthCheckKind.Http
            ? (int)status is >= 200 and < 400
            : status is not (HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout);

    private Task NotifyAsync(EdgeRouteNotice notice, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_notify({EdgeRouteNotice.Channel}, {notice.ToPayload()})", ct);
}
