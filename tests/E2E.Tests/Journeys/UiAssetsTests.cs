using Microsoft.Playwright;
using Paddock.E2E.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Paddock.E2E.Tests.Journeys;

/// <summary>What broke when the portal ran from build output in Production: its scripts and stylesheets answered 200
/// with no content, so nothing was styled and nothing became interactive.</summary>
[Collection(PortalCollection.Name)]
public sealed class UiAssetsTests(PortalServer portal)
{
    [Fact]
    public async Task Every_script_and_stylesheet_of_the_sign_in_page_and_the_app_shell_has_content_and_the_app_becomes_interactive()
    {
        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;

        await page.GotoAsync("/login");
        await UiAssets.AssertEveryScriptAndStylesheetHasContentAsync(page);

        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);
        await page.GoToAsync("/teams");
        await UiAssets.AssertEveryScriptAndStylesheetHasContentAsync(page);
        await UiAssets.AssertStyledAsync(page.GetByRole(AriaRole.Button, new() { Name = "Create team" }));
    }
}

public static class UiAssets
{
    /// <summary>Fetches every script and stylesheet the page names, as the page's own context (its cookies).</summary>
    public static async Task AssertEveryScriptAndStylesheetHasContentAsync(IPage page)
    {
        var urls = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('script[src]')].map(s => s.src)
                .concat([...document.querySelectorAll('link[rel=stylesheet][href]')].map(l => l.href))
            """);
        Assert.Contains(urls, u => u.Contains("blazor.web.js", StringComparison.Ordinal));
        Assert.Contains(urls, u => u.EndsWith(".css", StringComparison.Ordinal));
        var empty = new List<string>();
        foreach (var url in urls.Distinct())
        {
            var response = await page.APIRequest.GetAsync(url);
            var body = await response.BodyAsync();
            if (!response.Ok || body.Length == 0) empty.Add($"{url}: {response.Status}, {body.Length} bytes");
        }
        Assert.True(empty.Count == 0, $"{page.Url} loads scripts or stylesheets without content:\n{string.Join('\n', empty)}");
    }

    /// <summary>MudBlazor's stylesheet lays a button out as a flex box; a browser's default is an inline block.</summary>
    public static async Task AssertStyledAsync(ILocator mudButton)
    {
        await Expect(mudButton).ToBeVisibleAsync();
        Assert.Contains(await mudButton.EvaluateAsync<string>("b => getComputedStyle(b).display"), new[] { "flex", "inline-flex" });
    }
}
