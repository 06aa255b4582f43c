using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Users;

/// <summary>A cookie-carrying client, signed in the way a browser is.</summary>
public static partial class Browser
{
    /// <summary>Signs in through the real login form, antiforgery token included; the client keeps the session cookie.</summary>
    public static async Task<HttpClient> SignedInBrowserAsync(this PortalFixture portal, string email, string password)
    {
        var browser = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var page = await browser.GetStringAsync("/login");
        var antiforgery = AntiforgeryField().Match(page).Groups[1].Value;
        var action = FormAction().Match(page).Groups[1].Value;
        var login = await browser.PostAsync(action, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["password"] = password, ["returnUrl"] = "/", ["__RequestVerificationToken"] = antiforgery,
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/", login.Headers.Location?.OriginalString);
        // What a browser adds to a call made by the portal's own page: the API's cross-site guard lets it through.
        browser.DefaultRequestHeaders.Add("Sec-Fetch-Site", "same-origin");
        return browser;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\"")]
    private static partial Regex FormAction();
}
