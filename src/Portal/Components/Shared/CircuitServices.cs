using Microsoft.AspNetCore.Components.Authorization;
using Paddock.Portal.Api;
using Paddock.Portal.Identity;

namespace Paddock.Portal.Components.Shared;

/// <summary>Runs feature services for a Blazor circuit. A circuit lives for as long as the page is open, far longer
/// than a DbContext should, so every operation gets a fresh DI scope; the caller is the circuit's signed-in user.</summary>
public sealed class CircuitServices(AuthenticationStateProvider authentication, IServiceScopeFactory scopes)
{
    public async Task<Caller> CallerAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return new Caller(ActorClaims.ToActor(state.User), ClientIp: null, CorrelationId: $"ui-{Guid.NewGuid():N}");
    }

    public async Task<T> RunAsync<TService, T>(Func<TService, Caller, CancellationToken, Task<T>> operation, CancellationToken ct = default)
        where TService : notnull
    {
        var caller = await CallerAsync();
        await using var scope = scopes.CreateAsyncScope();
        return await operation(scope.ServiceProvider.GetRequiredService<TService>(), caller, ct);
    }

    /// <summary>For reads that need more than one service (or the DbContext itself) in the same scope.</summary>
    public async Task<T> RunAsync<T>(Func<IServiceProvider, Caller, CancellationToken, Task<T>> operation, CancellationToken ct = default)
    {
        var caller = await CallerAsync();
        await using var scope = scopes.CreateAsyncScope();
        return await operation(scope.ServiceProvider, caller, ct);
    }
}
