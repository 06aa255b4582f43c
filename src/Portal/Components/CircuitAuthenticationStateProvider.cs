using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Paddock.Persistence.Events;
using Paddock.Portal.Identity;

namespace Paddock.Portal.Components;

/// <summary>A Blazor circuit outlives the request that opened it; this re-checks the signed-in user's session at once
/// when the database signals a credential change (a user disabled, a password changed), and every 30 seconds in case
/// a signal was missed. A session that no longer holds signs the circuit out, and its pages send it to the login.</summary>
public sealed class CircuitAuthenticationStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IDisposable _subscription;
    private readonly CancellationTokenSource _disposed = new();
    private int _checking;

    public CircuitAuthenticationStateProvider(ILoggerFactory loggerFactory, IServiceScopeFactory scopes, CredentialChanges changes)
        : base(loggerFactory)
    {
        _scopes = scopes;
        _subscription = changes.Subscribe(() => _ = CheckNowAsync());
    }

    protected override TimeSpan RevalidationInterval => CredentialWatch.FallbackInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CredentialCheck>().StillHoldsAsync(state.User, ct);
    }

    /// <summary>A signal arrived: check this circuit's user now rather than at the next interval.</summary>
    private async Task CheckNowAsync()
    {
        if (Interlocked.Exchange(ref _checking, 1) == 1) return;
        try
        {
            var state = await GetAuthenticationStateAsync();
            if (state.User.Identity?.IsAuthenticated != true) return;
            if (!await ValidateAuthenticationStateAsync(state, _disposed.Token))
                SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
        }
        catch (Exception)
        {
            // The interval's check is the fallback (the database may be briefly unreachable, the circuit gone).
        }
        finally
        {
            Volatile.Write(ref _checking, 0);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _subscription.Dispose();
            _disposed.Cancel();
            _disposed.Dispose();
        }
        base.Dispose(disposing);
    }
}
