using System.Security.Claims;
using Paddock.Persistence.Events;

namespace Paddock.Portal.Identity;

/// <summary>Keeps checking the credential behind a long-lived connection and reports when it no longer holds: at once
/// when the database signals a credential change (<see cref="CredentialChanges"/>, sent by triggers on users and
/// tokens), and every <see cref="FallbackInterval"/> in case a signal was missed.</summary>
public sealed class CredentialWatch(IServiceScopeFactory scopes, CredentialChanges changes, ILogger<CredentialWatch> logger)
{
    public static readonly TimeSpan FallbackInterval = TimeSpan.FromSeconds(30);

    /// <summary>Checks <paramref name="principal"/> until <paramref name="ct"/> ends; calls <paramref name="onRevoked"/>
    /// once when its credential stops holding. Dispose to stop watching.</summary>
    public IAsyncDisposable Watch(ClaimsPrincipal principal, Action onRevoked, CancellationToken ct)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var wake = new SemaphoreSlim(0, 1);
        var subscription = changes.Subscribe(() =>
        {
            // At most one pending wake-up: a burst of changes costs one check.
            try { if (wake.CurrentCount == 0) wake.Release(); }
            catch (SemaphoreFullException) { }
            catch (ObjectDisposedException) { }
        });
        var loop = LoopAsync(principal, onRevoked, wake, stop.Token);
        return new Watching(stop, subscription, wake, loop);
    }

    private async Task LoopAsync(ClaimsPrincipal principal, Action onRevoked, SemaphoreSlim wake, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await wake.WaitAsync(FallbackInterval, ct);
                if (await StillHoldsAsync(principal, ct)) continue;
                onRevoked();
                return;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> StillHoldsAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<CredentialCheck>().StillHoldsAsync(principal, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database is briefly unreachable: keep the connection, look again at the next signal or interval.
            logger.LogWarning(e, "Could not re-check the credential of an open connection");
            return true;
        }
    }

    private sealed class Watching(CancellationTokenSource stop, IDisposable subscription, SemaphoreSlim wake, Task loop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            subscription.Dispose();
            await stop.CancelAsync();
            await loop;
            stop.Dispose();
            wake.Dispose();
        }
    }
}
