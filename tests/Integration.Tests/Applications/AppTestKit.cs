using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Paddock.Domain.Audit;
using Paddock.Domain.Teams;
using Paddock.Domain.Tokens;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Applications;

/// <summary>A team with one user per role and a client for each, plus helpers to call the API with a
/// correlation id (to find exactly the audit events of one call) and to read raw rows.</summary>
public sealed class TeamScenario
{
    public required PortalFixture Portal { get; init; }
    public required Team Team { get; init; }
    public required HttpClient Owner { get; init; }
    public required HttpClient Member { get; init; }
    public required HttpClient Viewer { get; init; }
    public required string MemberName { get; init; }

    public string TeamName => Team.Name.Value;

    public static async Task<TeamScenario> CreateAsync(PortalFixture portal)
    {
        var (owner, ownerToken) = await portal.CreateUserAsync(Unique.Email("owner"));
        var memberEmail = Unique.Email("member");
        var (member, memberToken) = await portal.CreateUserAsync(memberEmail);
        var (viewer, viewerToken) = await portal.CreateUserAsync(Unique.Email("viewer"));
        var team = await portal.CreateTeamAsync(Unique.Name("team"), (owner, TeamRole.Owner), (member, TeamRole.Member), (viewer, TeamRole.Viewer));
        return new TeamScenario
        {
            Portal = portal,
            Team = team,
            Owner = portal.ClientWithToken(ownerToken),
            Member = portal.ClientWithToken(memberToken),
            Viewer = portal.ClientWithToken(viewerToken),
            MemberName = memberEmail,
        };
    }

    public async Task<HttpClient> TeamTokenClientAsync(TokenScope scope) =>
        Portal.ClientWithToken(await Portal.CreateTeamTokenAsync(Team.Id, scope));

    /// <summary>A valid create-app body for this team; override fields with <paramref name="with"/>.</summary>
    public Dictionary<string, object?> AppBody(string name, Action<Dictionary<string, object?>>? with = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = name,
            ["team"] = TeamName,
            ["image"] = "registry.example.com/shop/web:1.0",
            ["port"] = 8080,
        };
        with?.Invoke(body);
        return body;
    }

    public async Task<JsonElement> CreateAppAsync(string name, Action<Dictionary<string, object?>>? with = null)
    {
        var response = await Member.PostAsJsonAsync("/api/v1/apps", AppBody(name, with));
        await Api.EnsureAsync(response, System.Net.HttpStatusCode.Created);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> CreateEnvironmentAsync(string app, string name, object? body = null)
    {
        var response = await Member.PostAsJsonAsync($"/api/v1/apps/{app}/environments", body ?? new { name, stage = "Development", backend = "docker" });
        await Api.EnsureAsync(response, System.Net.HttpStatusCode.Created);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

public static class Unique
{
    public static string Name(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    public static string Email(string who) => $"{who}-{Guid.NewGuid():N}@example.com";
}

public static class Api
{
    public static async Task<(HttpResponseMessage Response, string CorrelationId)> CallAsync(
        this HttpClient client, HttpMethod method, string url, object? body = null, string? ifMatch = null)
    {
        var correlationId = Guid.NewGuid().ToString("N");
        var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType());
        request.Headers.Add("X-Correlation-Id", correlationId);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return (await client.SendAsync(request), correlationId);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    public static async Task EnsureAsync(HttpResponseMessage response, System.Net.HttpStatusCode expected)
    {
        if (response.StatusCode == expected) return;
        var body = await response.Content.ReadAsStringAsync();
        var why = (int)response.StatusCode >= 500 ? "\nServer log: " + Infrastructure.ServerErrors.For(body) : "";
        Assert.Fail($"Expected {(int)expected}, got {(int)response.StatusCode}: {body}{why}");
    }

    /// <summary>The field keys of a 400 validation problem.</summary>
    public static async Task<HashSet<string>> ErrorKeysAsync(HttpResponseMessage response)
    {
        await EnsureAsync(response, System.Net.HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        return problem.TryGetProperty("errors", out var errors)
            ? errors.EnumerateObject().Select(p => p.Name).ToHashSet()
            : [];
    }

    public static List<AuditEvent> AuditOf(this PortalFixture portal, string correlationId) =>
        portal.WithDb(db => db.AuditEvents.AsNoTracking().Where(e => e.CorrelationId == correlationId).ToList());

    public static long AuditCount(this PortalFixture portal) => portal.WithDb(db => db.AuditEvents.LongCount());

    /// <summary>Every column of every row of a table as Postgres prints it, to search for leaked values.</summary>
    public static async Task<string> RawTableTextAsync(this PortalFixture portal, string table)
    {
        await using var connection = new NpgsqlConnection(portal.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM {table} t", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
