using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Domain.Audit;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Persistence;

namespace Paddock.Integration.Tests.Audit;

public sealed class RefusedAuthorizationTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private async Task<(HttpStatusCode Status, List<AuditEvent> Events)> SendAsync(string? token, string path)
    {
        var correlationId = Guid.NewGuid().ToString("N");
        var client = portal.ClientWithToken(token);
        client.DefaultRequestHeaders.Add("X-Correlation-Id", correlationId);
        var response = await client.GetAsync(path);
        using var scope = portal.Services.CreateScope();
        var events = await scope.ServiceProvider.GetRequiredService<PaddockDbContext>().AuditEvents
            .Where(e => e.CorrelationId == correlationId).ToListAsync();
        return (response.StatusCode, events);
    }

    [Theory]
    [InlineData("pdk_this-token-does-not-exist")]
    [InlineData("not-even-a-paddock-token")]
    public async Task A_bad_bearer_token_is_audited_once_as_a_refused_authorization(string token)
    {
        var (status, events) = await SendAsync(token, "/api/v1/audit");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        var refused = Assert.Single(events);
        Assert.Equal("authorization.refused", refused.Action);
        Assert.Equal("anonymous", refused.ActorId);
        var after = JsonDocument.Parse(refused.After!).RootElement;
        Assert.Equal("GET", after.GetProperty("method").GetString());
        Assert.Equal("/api/v1/audit", after.GetProperty("path").GetString());
        Assert.Equal(401, after.GetProperty("status").GetInt32());
        Assert.DoesNotContain(token, refused.After);
    }

    [Fact]
    public async Task An_anonymous_request_without_credentials_is_not_audited()
    {
        var (status, events) = await SendAsync(null, "/api/v1/audit");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Empty(events);
    }

    [Fact]
    public async Task A_forbidden_request_is_audited_with_the_caller()
    {
        var (userId, token) = await portal.CreateUserAsync($"refused-{Guid.NewGuid():N}@example.com");

        var (status, events) = await SendAsync(token, "/api/v1/audit/verify");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        var refused = Assert.Single(events);
        Assert.Equal("authorization.refused", refused.Action);
        Assert.Equal(userId.ToString(), refused.ActorId);
        Assert.Equal("GET /api/v1/audit/verify", refused.TargetId);
    }

    [Fact]
    public async Task Allowed_requests_are_not_audited()
    {
        var (status, events) = await SendAsync(portal.AdminToken, "/api/v1/audit?pageSize=1");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(events);
    }
}
