using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Paddock.Domain.Access;
using Paddock.Portal.Identity;

namespace Paddock.Portal.Features.Jobs;

/// <summary>Hangfire's dashboard at <c>/hangfire</c>, for platform admins signed in with the portal's cookie.
/// Hangfire's default filter admits every request from loopback, which on a shared host is everyone; it is replaced.</summary>
public static class JobsDashboard
{
    public const string Path = "/hangfire";

    public static IEndpointRouteBuilder MapJobsDashboard(this IEndpointRouteBuilder app)
    {
        app.MapHangfireDashboard(Path, new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [new PlatformAdminsOnly()],
            DashboardTitle = "Paddock jobs",
            AppPath = "/",
            DisplayStorageConnectionString = false,
        });
        return app;
    }

    /// <summary>Admits a request only when the session cookie names a platform admin; bearer tokens are for the API.</summary>
    public sealed class PlatformAdminsOnly : IDashboardAsyncAuthorizationFilter
    {
        public async Task<bool> AuthorizeAsync(DashboardContext context)
        {
            var http = context.GetHttpContext();
            var session = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
            if (!session.Succeeded) return false;
            var actor = ActorClaims.ToActor(session.Principal);
            return actor is { Kind: ActorKind.User, IsPlatformAdmin: true };
        }
    }
}
