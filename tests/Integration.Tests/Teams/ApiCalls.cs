using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Audit;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Teams;

/// <summary>Calls that carry their own correlation id, so a test can find the audit events of exactly that call.</summary>
public static class ApiCalls
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static async Task<(HttpResponseMessage Response, string CorrelationId)> TracedAsync(
        this HttpClient client, HttpMethod method, string url, object? body = null, string? ifMatch = null)
    {
        var correlationId = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        request.Headers.Add("X-Correlation-Id", correlationId);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return (await client.SendAsync(request), correlationId);
    }

    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string url, object? body = null, string? ifMatch = null) =>
        (await client.TracedAsync(method, url, body, ifMatch)).Response;

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Json);

    public static List<AuditEvent> AuditOf(this PortalFixture portal, string correlationId) =>
        portal.WithDb(db => db.AuditEvents.AsNoTracking().Where(e => e.CorrelationId == correlationId).ToList());

    /// <summary>A valid team name no other test uses.</summary>
    public static string UniqueTeamName(string prefix = "team") => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    public static string UniqueEmail(string who = "dev") => $"{who}-{Guid.NewGuid():N}@example.com";
}
