using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Paddock.Domain.Backends;
using Paddock.Domain.Environments;
using Paddock.Domain.Reconciliation;
using Paddock.Persistence;
using Paddock.Runtime.Backends;

namespace Paddock.Workers.Reconciliation;

/// <summary>One pass over every environment, cheap when nothing drifted: each backend is observed once for all
/// its environments (when it can list everything at once), environments with their current deployment are read
/// in keyset-paginated batches (one query per batch), and the decision runs in memory. Only environments whose
/// decision or recorded state is off are returned, for a locked, re-observed <see cref="EnvironmentReconciler"/>.</summary>
public sealed class FullResync(IServiceScopeFactory scopes, BackendRegistry backends, IOptions<ReconcilerSettings> settings, ILogger<FullResync> logger)
{
    public async Task<ResyncPass> RunAsync(CancellationToken ct)
    {
        var observed = new Dictionary<string, IReadOnlyDictionary<Guid, ObservedState>?>(StringComparer.OrdinalIgnoreCase);
        var unreachable = new List<string>();
        foreach (var backend in backends.All)
        {
            try
            {
                observed[backend.Name] = await backend.ObserveAllAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Nothing is decided for its environments: an engine that is down is no reason to repair anything.
                logger.LogWarning("Backend {Backend} cannot be observed; its environments wait for the next resync: {Reason}", backend.Name, e.Message);
                unreachable.Add(backend.Name);
            }
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        foreach (var name in unreachable) await MarkUnobservedAsync(db, name, ct);
        var needLook = new List<Guid>();
        var withResources = new List<Guid>();
        var environments = 0;
        var batches = 0;
        var after = Guid.Empty;
        while (true)
        {
            var page = await PageAsync(db, after, settings.Value.BatchSize, ct);
            batches++;
            foreach (var row in page)
            {
                environments++;
                if (row.HasReadyResources && row.Status == nameof(EnvironmentStatus.Running) && row.DeploymentId is not null) withResources.Add(row.Id);
                if (!observed.TryGetValue(row.Backend, out var all)) continue;   // unreachable or not configured here
                var state = all is null
                    ? await ObserveOneAsync(row, ct)
                    : all.GetValueOrDefault(row.Id) ?? new ObservedState(row.Id, []);
                if (state is not null && NeedsLook(row, state)) needLook.Add(row.Id);
            }
            if (page.Count < settings.Value.BatchSize) break;
            after = page[^1].Id;
        }
        return new ResyncPass(environments, batches, needLook, unreachable) { WithResources = withResources };

        async Task<ObservedState?> ObserveOneAsync(EnvironmentRow row, CancellationToken token)
        {
            try
            {
                return await backends.Get(row.Backend).ObserveAsync(row.Id, token);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Cannot observe environment {EnvironmentId}: {Reason}", row.Id, e.Message);
                return null;
            }
        }
    }

    /// <summary>Whether the environment needs a real reconcile: the decision wants actions, or the recorded state
    /// still shows drift that is gone. A crash-looping one is left alone until its next deployment.</summary>
    public static bool NeedsLook(EnvironmentRow row, ObservedState observed)
    {
        var running = row.Status == nameof(EnvironmentStatus.Running) && row.DeploymentId is not null && row.Image is not null;
        var desired = running ? new DesiredState(row.Id, row.DeploymentId!.Value, row.Image!, row.Replicas ?? 1) : null;
        var plan = ReconcileDecision.Decide(desired, observed, row.Retiring);
        var observedReason = row.StatusReason is { } reason
            && (reason.StartsWith(AppEnvironment.DriftReasonPrefix, StringComparison.Ordinal) || reason.StartsWith(AppEnvironment.CrashLoopReasonPrefix, StringComparison.Ordinal));
        if (plan.NothingToDo) return running && (row.Health != nameof(EnvironmentHealth.Healthy) || observedReason);
        return !(row.StatusReason?.StartsWith(AppEnvironment.CrashLoopReasonPrefix, StringComparison.Ordinal) ?? false);
    }

    /// <summary>The running environments of a backend that cannot be observed: Health Unknown, and the reason, in one
    /// statement. A deployment's reason and a crash loop's stay (drift and an earlier "unobserved" are replaced); rows
    /// already saying so are not written again. Once the backend answers, the next look finds them Unknown and settles
    /// them.</summary>
    private static Task MarkUnobservedAsync(PaddockDbContext db, string backend, CancellationToken ct)
    {
        var reason = $"{AppEnvironment.UnobservedReasonPrefix}backend {backend} does not answer";
        var drift = AppEnvironment.DriftReasonPrefix + "%";
        var unobserved = AppEnvironment.UnobservedReasonPrefix + "%";
        return db.Database.ExecuteSqlAsync($"""
            UPDATE environments
            SET health = 'Unknown',
                status_reason = CASE WHEN status_reason IS NULL OR status_reason LIKE {drift} OR status_reason LIKE {unobserved}
                                     THEN {reason} ELSE status_reason END
            WHERE lower(backend) = lower({backend}) AND status = 'Running' AND deleted_at IS NULL
              AND (health <> 'Unknown' OR status_reason IS NULL OR status_reason LIKE {drift})
            """, ct);
    }

    /// <summary>One batch: environments after <paramref name="after"/> in id order that no deploy or teardown owns,
    /// each with what its current deployment wants to run. Plain ADO.NET: one round trip, columns read by position.</summary>
    private static async Task<List<EnvironmentRow>> PageAsync(PaddockDbContext db, Guid after, int size, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT e.id, e.backend, e.status, e.health, e.status_reason,
                   d.id, d.snapshot ->> 'image', (d.snapshot ->> 'replicas')::int,
                   ARRAY(SELECT r.id FROM deployments r
                         WHERE r.environment_id = e.id AND r.retiring_since IS NOT NULL AND r.retired_at IS NULL),
                   EXISTS(SELECT 1 FROM environment_resources x WHERE x.environment_id = e.id AND x.status = 'Ready')
            FROM environments e
            LEFT JOIN deployments d ON d.id = e.current_deployment_id
            WHERE e.deleted_at IS NULL AND e.status NOT IN ('Deleting', 'Deploying') AND e.id > @after
            ORDER BY e.id
            LIMIT @size
            """;
        command.Parameters.Add(new Npgsql.NpgsqlParameter("after", after));
        command.Parameters.Add(new Npgsql.NpgsqlParameter("size", size));
        var rows = new List<EnvironmentRow>(size);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new EnvironmentRow(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetGuid(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetInt32(7))
            {
                Retiring = reader.GetFieldValue<Guid[]>(8).ToHashSet(),
                HasReadyResources = reader.GetBoolean(9),
            });
        }
        return rows;
    }
}

/// <summary>An environment as a full resync reads it.</summary>
public sealed record EnvironmentRow(Guid Id, string Backend, string Status, string Health, string? StatusReason, Guid? DeploymentId, string? Image, int? Replicas)
{
    /// <summary>The environment's deployments whose instances are retiring (left alone).</summary>
    public IReadOnlySet<Guid> Retiring { get; init; } = new HashSet<Guid>();

    /// <summary>Whether the environment has ready resources (databases, caches, volumes) for a resource check to observe.</summary>
    public bool HasReadyResources { get; init; }
}

/// <summary>What a full resync found: how many environments it read in how many batches, which need a real
/// reconcile, and which backends could not be observed.</summary>
public sealed record ResyncPass(int Environments, int Batches, IReadOnlyList<Guid> NeedLook, IReadOnlyList<string> UnreachableBackends)
{
    /// <summary>The running environments with ready resources, for the periodic resource check.</summary>
    public IReadOnlyList<Guid> WithResources { get; init; } = [];
}
