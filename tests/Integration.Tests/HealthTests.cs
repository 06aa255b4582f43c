using System.Net;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests;

public sealed class HealthTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Liveness_answers_without_authentication()
    {
        var response = await portal.ClientWithToken(null).GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readiness_reports_ready_when_postgres_answers_and_migrations_are_applied()
    {
        var response = await portal.ClientWithToken(null).GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task First_start_bootstraps_an_admin_whose_token_works()
    {
        Assert.StartsWith("pdk_", portal.AdminToken);
        Assert.True(portal.AdminPassword.Length >= 20);
        var response = await portal.AdminClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
