using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Portal.Features.Webhooks;

namespace Paddock.Integration.Tests.Webhooks;

public sealed record TestHook(Guid Id, string Source, string Secret)
{
    public string Path => $"/api/v1/webhooks/{Source}/{Id}";
}

public static class WebhookTestKit
{
    public static async Task<TestHook> CreateHookAsync(this TeamScenario scenario, string source, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["source"] = source };
        if (extra is not null)
            foreach (var p in extra.GetType().GetProperties()) body[p.Name] = p.GetValue(extra);
        var (response, _) = await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/teams/{scenario.TeamName}/webhooks", body);
        await Api.EnsureAsync(response, System.Net.HttpStatusCode.Created);
        var created = await response.JsonAsync();
        return new TestHook(created.GetProperty("webhook").GetProperty("id").GetGuid(), source, created.GetProperty("secret").GetString()!);
    }

    /// <summary>Posts raw bytes anonymously, signed with <paramref name="signWith"/> (null: no signature header).</summary>
    public static async Task<HttpResponseMessage> DeliverAsync(this PortalFixture portal, TestHook hook, string json, string? signWith = "",
        string? githubEvent = null, string? deliveryId = null, string? correlationId = null)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var request = new HttpRequestMessage(HttpMethod.Post, hook.Path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var secret = signWith == "" ? hook.Secret : signWith;
        if (secret is not null) request.Headers.Add(WebhookReceiver.SignatureHeader, WebhookReceiver.Sign(secret, bytes));
        if (githubEvent is not null) request.Headers.Add("X-GitHub-Event", githubEvent);
        request.Headers.Add("X-GitHub-Delivery", deliveryId ?? Guid.NewGuid().ToString());
        if (correlationId is not null) request.Headers.Add("X-Correlation-Id", correlationId);
        return await portal.ClientWithToken(null).SendAsync(request);
    }

    public static string Json(object value) => JsonSerializer.Serialize(value);
}
