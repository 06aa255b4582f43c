using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Paddock.Persistence;

namespace Paddock.Portal.Components;

/// <summary>A Blazor circuit outlives the request that opened it; this re-checks the signed-in user every
/// 30 seconds so that disabling a user or changing their password also ends their open pages.</summary>
public sealed class CircuitAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopes,
    IOptions<IdentityOptions> identityOptions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct)
    {
        var principal = state.User;
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)) return false;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.IsDisabled, u.SecurityStamp }).FirstOrDefaultAsync(ct);
        return user is { IsDisabled: false }
            && principal.FindFirstValue(identityOptions.Value.ClaimsIdentity.SecurityStampClaimType) == user.SecurityStamp;
    }
}
