using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Paddock.Persistence;
using Paddock.Persistence.Events;
using Paddock.Persistence.Locks;

namespace Paddock.Portal.Features.Sources;

/// <summary>
/// Follows every followed repository: each one once per <see cref="GitSettings.PollInterval"/> (give or take the
/// jitter), and at once when a webhook says it moved (<see cref="GitPushes"/>, a <c>NOTIFY</c> any process hears).
/// One repository at a time, so a burst of pushes costs one fetch per repository, never one per environment. Git
/// catalogs (<see cref="Catalog.CatalogSourceService.RefreshAsync"/>) are polled on the same schedule, one read per source.
/// Whatever the number of portal processes, exactly one follows: the one holding <see cref="LeadershipKey"/> (a Postgres
/// session advisory lock); the others wait to take over if it goes.
/// </summary>
public sealed class GitPoller(
    IServiceScopeFactory scopes, GitSettings settings, string connectionString, TimeProvider clock, ILogger<GitPoller> logger) : BackgroundService
{
    /// <summary>A fixed key ("paddgitf"), apart from the reconciler's and the per-environment keys.</summary>
    public const long LeadershipKey = 0x7061_6464_6769_7466;

    /// <summary>How soon a waiting process notices that the leader went.</summary>
    private static readonly TimeSpan LeadershipCheck = TimeSpan.FromSeconds(5);

    private readonly Channel<Guid> _woken = Channel.CreateUnbounded<Guid>();
    private readonly Dictionary<Guid, DateTime> _due = [];
    private HashSet<Guid> _catalogSources = [];

    /// <summary>Whether this process follows git now (tests and the health of a deployment with several portals).</summary>
    public bool IsLeader { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var leadership = new SessionLeadership(connectionString, LeadershipKey);
        var listening = PostgresListener.ListenAsync(connectionString, GitPushes.Channel,
            payload => { if (Guid.TryParse(payload, out var id)) _woken.Writer.TryWrite(id); }, () => { }, logger, TimeSpan.FromSeconds(5), stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                IsLeader = await leadership.TryHoldAsync(stoppingToken);
                if (IsLeader)
                {
                    while (_woken.Reader.TryRead(out var woken)) await SyncAsync(woken, stoppingToken);
                    if (settings.Poll) await PollDueAsync(stoppingToken);
                }
                else
                {
                    // The leader heard the same notices; when it goes, the next one starts with a clean schedule.
                    while (_woken.Reader.TryRead(out _)) { }
                    _due.Clear();
                }
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wait.CancelAfter(LeadershipCheck);
                try
                {
                    await _woken.Reader.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Following git repositories failed; trying again shortly");
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        IsLeader = false;
        await listening;
    }

    private async Task PollDueAsync(CancellationToken ct)
    {
        List<Guid> followed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
            followed = await db.GitSources.Select(s => s.RepositoryId).Distinct().ToListAsync(ct);
            // Git catalogs are polled on the same schedule: one fetch per catalog source per interval.
            _catalogSources = (await db.CatalogSources.Select(s => s.Id).ToListAsync(ct)).ToHashSet();
            followed.AddRange(_catalogSources);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var repositoryId in followed)
        {
            if (_due.TryGetValue(repositoryId, out var due) && due > now) continue;
            if (_due.ContainsKey(repositoryId)) await SyncAsync(repositoryId, ct);
            else _due[repositoryId] = now + Jittered(); // a repository's first poll is spread over the interval, too
        }
        foreach (var gone in _due.Keys.Except(followed).ToList()) _due.Remove(gone);
    }

    private async Task SyncAsync(Guid repositoryId, CancellationToken ct)
    {
        _due[repositoryId] = clock.GetUtcNow().UtcDateTime + Jittered();
        await using var scope = scopes.CreateAsyncScope();
        if (_catalogSources.Contains(repositoryId))
            await scope.ServiceProvider.GetRequiredService<Catalog.CatalogSourceService>().RefreshAsync(repositoryId, ct);
        else await scope.ServiceProvider.GetRequiredService<GitFollower>().SyncRepositoryAsync(repositoryId, ct);
    }

    private TimeSpan Jittered()
    {
        var jitter = settings.PollJitter.TotalMilliseconds;
        var offset = jitter <= 0 ? 0 : (Random.Shared.NextDouble() * 2 - 1) * jitter;
        return TimeSpan.FromMilliseconds(Math.Max(1000, settings.PollInterval.TotalMilliseconds + offset));
    }
}
