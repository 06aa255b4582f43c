using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Paddock.E2E.Tests.Infrastructure;

/// <summary>What journeys do over and over: sign in, wait for the interactive circuit, pick from a MudSelect.</summary>
public static class PageActions
{
    public static async Task SignInAsync(this IPage page, string email, string password)
    {
        await page.GotoAsync("/login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForInteractiveAsync();
    }

    /// <summary>The layout sets this marker once the Blazor circuit rendered: from then on clicks reach the server.</summary>
    public static Task WaitForInteractiveAsync(this IPage page) =>
        Expect(page.Locator("[data-interactive=true]")).ToBeAttachedAsync();

    public static async Task GoToAsync(this IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.WaitForInteractiveAsync();
    }

    /// <summary>MudSelect is not a native select: open it by its label and click the option.</summary>
    public static async Task ChooseAsync(this IPage page, string label, string option)
    {
        await page.GetByLabel(label).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = false }).First.ClickAsync();
    }

    /// <summary>Creates a team on the teams page and lands on its page.</summary>
    public static async Task CreateTeamAsync(this IPage page, string team)
    {
        await page.GoToAsync("/teams");
        await page.GetByLabel("Team name").FillAsync(team);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create team" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/teams/{team}$"));
    }

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>Waits for the page to land on <paramref name="path"/>; when it does not, the failure says what the page
    /// showed instead (alerts, toasts, field errors), which is what a person looking at the screen would report.</summary>
    public static async Task ExpectLandedOnAsync(this IPage page, string path)
    {
        try
        {
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"{System.Text.RegularExpressions.Regex.Escape(path)}$"));
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            var shown = await page.Locator("[role=alert], .mud-snackbar, .mud-input-helper-text.mud-input-error").AllInnerTextsAsync();
            throw new Xunit.Sdk.XunitException($"expected to land on {path}, still on {page.Url}; the page shows: [{string.Join(" | ", shown)}]\n{e.Message}");
        }
    }
}
