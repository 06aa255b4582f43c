using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Paddock.Persistence;

namespace Paddock.Portal.Features.Sources;

/// <summary>
/// Follows every followed repository: each one once per <see cref="GitSettings.PollInterval"/> (give or take the
/// jitter), and at once when a webhook says it moved (<see cref="Wake"/>). One repository at a time, so a burst of
/// pushes costs one fetch per repository, never one per environment.
/// </summary>
public sealed class GitPoller(IServiceScopeFactory scopes, GitSettings settings, TimeProvider clock, ILogger<GitPoller> logger) : BackgroundService
{
    private readonly Channel<Guid> _woken = Channel.CreateUnbounded<Guid>();
    private readonly Dictionary<Guid, DateTime> _due = [];

    /// <summary>Asks for the repository to be followed now (a webhook's push).</summary>
    public void Wake(Guid repositoryId) => _woken.Writer.TryWrite(repositoryId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (_woken.Reader.TryRead(out var woken)) await SyncAsync(woken, stoppingToken);
                if (settings.Poll) await PollDueAsync(stoppingToken);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wait.CancelAfter(TimeSpan.FromSeconds(5));
                try
                {
                    await _woken.Reader.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Following git repositories failed; trying again shortly");
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }

    private async Task PollDueAsync(CancellationToken ct)
    {
        List<Guid> followed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
            followed = await db.GitSources.Select(s => s.RepositoryId).Distinct().ToListAsync(ct);
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
        await scope.ServiceProvider.GetRequiredService<GitFollower>().SyncRepositoryAsync(repositoryId, ct);
    }

    private TimeSpan Jittered()
    {
        var jitter = settings.PollJitter.TotalMilliseconds;
        var offset = jitter <= 0 ? 0 : (Random.Shared.NextDouble() * 2 - 1) * jitter;
        return TimeSpan.FromMilliseconds(Math.Max(1000, settings.PollInterval.TotalMilliseconds + offset));
    }
}
