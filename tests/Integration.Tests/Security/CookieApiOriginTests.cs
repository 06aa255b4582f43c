using System.Net;
using System.Net.Http.Json;
using Paddock.Integration.Tests.Identity;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Security;

/// <summary>A form on another site posts with the browser's session cookie; the API must not act on it.</summary>
public sealed class CookieApiOriginTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static HttpRequestMessage CreateTeam(string? origin = null, string? fetchSite = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/teams")
        {
            Content = JsonContent.Create(new { name = $"csrf-{Guid.NewGuid():N}"[..20] }),
        };
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (fetchSite is not null) request.Headers.Add("Sec-Fetch-Site", fetchSite);
        return request;
    }

    [Fact]
    public async Task A_cookie_authenticated_post_from_another_origin_or_with_no_origin_is_refused()
    {
        var session = new BrowserSession(portal);
        await session.SignInAsync("admin@localhost", portal.AdminPassword);

        var crossSite = await session.Client.SendAsync(CreateTeam(origin: "https://evil.example"));
        var crossSiteFetch = await session.Client.SendAsync(CreateTeam(fetchSite: "cross-site"));
        var noOrigin = await session.Client.SendAsync(CreateTeam());

        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, crossSiteFetch.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noOrigin.StatusCode);
        Assert.Equal("application/problem+json", crossSite.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_cookie_authenticated_post_from_the_same_origin_goes_through()
    {
        var session = new BrowserSession(portal);
        await session.SignInAsync("admin@localhost", portal.AdminPassword);
        var own = session.Client.BaseAddress!.GetLeftPart(UriPartial.Authority);

        Assert.Equal(HttpStatusCode.Created, (await session.Client.SendAsync(CreateTeam(origin: own))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await session.Client.SendAsync(CreateTeam(fetchSite: "same-origin"))).StatusCode);
    }

    [Fact]
    public async Task A_bearer_token_call_needs_no_origin()
    {
        Assert.Equal(HttpStatusCode.Created, (await portal.AdminClient().SendAsync(CreateTeam(origin: "https://evil.example"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await portal.AdminClient().SendAsync(CreateTeam())).StatusCode);
    }
}
