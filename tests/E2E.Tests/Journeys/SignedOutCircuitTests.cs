using System.Net.Http.Json;
using Paddock.E2E.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Paddock.E2E.Tests.Journeys;

/// <summary>A Blazor circuit outlives the request that signed it in: disabling its user must still end it.</summary>
[Collection(PortalCollection.Name)]
public sealed class SignedOutCircuitTests(PortalServer portal)
{
    [Fact]
    public async Task An_open_page_of_a_user_who_is_disabled_goes_to_the_login_within_five_seconds()
    {
        var email = $"{PageActions.Unique("circuit")}@example.com";
        var (userId, password, _) = await portal.CreateUserAsync(email);
        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        await page.SignInAsync(email, password);
        await page.GoToAsync("/");

        using var admin = portal.ApiClient(portal.AdminToken);
        var disabled = await admin.PatchAsJsonAsync($"/api/v1/users/{userId}", new { isDisabled = true });
        disabled.EnsureSuccessStatusCode();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"), new() { Timeout = 5000 });
    }
}
