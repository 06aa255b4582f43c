using System.Net;
using System.Text.RegularExpressions;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Identity;

/// <summary>A cookie-holding client that signs in through the real login form, antiforgery token included.</summary>
public sealed partial class BrowserSession(PortalFixture portal)
{
    public HttpClient Client { get; } = portal.ClientWithToken(null);

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*>")]
    private static partial Regex AntiforgeryInput();

    [GeneratedRegex("value=\"([^\"]+)\"")]
    private static partial Regex ValueAttribute();

    public async Task<HttpResponseMessage> SignInAsync(string email, string password, string returnUrl = "/")
    {
        var form = await Client.GetStringAsync("/login");
        var token = ValueAttribute().Match(AntiforgeryInput().Match(form).Value).Groups[1].Value;
        return await Client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["password"] = password,
            ["returnUrl"] = returnUrl,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        }));
    }
}
