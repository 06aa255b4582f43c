using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests;

public sealed partial class ApiDocumentationTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [GeneratedRegex("<script[^>]+src=\"([^\"]+)\"")]
    private static partial Regex ScriptSource();

    [Fact]
    public async Task The_openapi_document_describes_every_api_route()
    {
        var client = portal.ClientWithToken(null);
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Contains("/api/v1/teams", paths);
        Assert.Contains("/api/v1/apps/{app}/environments/{env}/deployments", paths);
        Assert.Contains("/api/v1/audit/verify", paths);
        Assert.Contains("/api/v1/clusters", paths);
        Assert.Contains("/api/v1/clusters/{name}", paths);
    }

    [Fact]
    public async Task The_interactive_docs_page_is_served_with_its_script_from_the_portal_itself()
    {
        var client = portal.ClientWithToken(null);
        var page = await client.GetAsync("/docs");
        if (page.StatusCode is HttpStatusCode.Found or HttpStatusCode.MovedPermanently) page = await client.GetAsync(page.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();

        var scripts = ScriptSource().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            Assert.False(script.StartsWith("http", StringComparison.OrdinalIgnoreCase), $"{script} would need the internet");
            var asset = await client.GetAsync(new Uri(new Uri("http://localhost/docs/"), script));
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        }
    }
}
