using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Paddock.Integration.Tests.Applications;

public sealed class RequestLimitTests(KestrelPortal portal) : IClassFixture<KestrelPortal>
{
    [Fact]
    public async Task A_body_over_one_mebibyte_is_refused_with_413_problem_details()
    {
        using var client = portal.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", portal.AdminToken);
        var body = new { name = "big", team = "nobody", image = "nginx", port = 80, description = new string('x', 1024 * 1024 + 10) };

        var response = await client.PostAsJsonAsync("/api/v1/apps", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_under_the_limit_reaches_validation()
    {
        using var client = portal.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", portal.AdminToken);
        var body = new { name = "big", team = "nobody", image = "nginx", port = 80, description = new string('x', 1024 * 1024 - 200) };

        var response = await client.PostAsJsonAsync("/api/v1/apps", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
