using Paddock.E2E.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Paddock.E2E.Tests.Journeys;

/// <summary>The UI's Content-Security-Policy is strict (no inline or foreign scripts): the main pages must still work
/// under it, with nothing refused in the console.</summary>
[Collection(PortalCollection.Name)]
public sealed class ContentSecurityPolicyTests(PortalServer portal)
{
    [Fact]
    public async Task The_main_pages_render_interactively_under_the_policy_with_no_console_errors()
    {
        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        var response = await page.GotoAsync("/login");
        Assert.Contains("script-src 'self'", (await response!.AllHeadersAsync())["content-security-policy"]);
        Assert.Equal("nosniff", (await response.AllHeadersAsync())["x-content-type-options"]);
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);
        var team = PageActions.Unique("csp");
        await page.CreateTeamAsync(team);

        foreach (var path in new[] { "/", "/apps", "/apps/new", "/teams", $"/teams/{team}", "/audit", "/delivery", "/admin", "/account" })
        {
            await page.GoToAsync(path);
            await Expect(page.Locator("[data-interactive=true]")).ToBeAttachedAsync();
        }

        var errors = browser.Log.Lines.Where(line => line.Contains("console error", StringComparison.Ordinal) || line.Contains("page error", StringComparison.Ordinal)
            || line.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }
}
