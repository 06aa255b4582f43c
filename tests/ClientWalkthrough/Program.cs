using System.Net.Http.Headers;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using Paddock.ApiClient;
using Paddock.ApiClient.Models;

// The README's walk-through (section "The REST API"), step by step, through the generated client only:
//   dotnet ClientWalkthrough.dll <portal base URL> <admin token>
// Exits non-zero at the first step that does not answer as the README says.
var (portal, token) = (args[0], args[1]);
// Kiota's own HttpClient, with its middleware (the response-header inspection below needs it); the token as a default header.
using var http = KiotaClientFactory.Create();
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
var client = new PaddockClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = portal });
var suffix = Guid.NewGuid().ToString("N")[..6];
var team = $"payments-{suffix}";
var app = $"checkout-{suffix}";

// a team, and a colleague in it
await client.Api.V1.Teams.PostAsync(new CreateTeamRequest { Name = team, DisplayName = "Payments" });
var colleague = await client.Api.V1.Users.PostAsync(new CreateUserRequest
{
    Email = $"dev-{suffix}@example.com", DisplayName = "Dev", Team = team, Role = TeamRole.Member,
});
Check(colleague?.Password is { Length: > 0 }, "the new user has a one-time password");

// an application with a plain variable and a secret (secret values are never returned)
var created = await client.Api.V1.Apps.PostAsync(new CreateAppRequest
{
    Name = app, Team = team, Image = "localhost/paddock-demo:1", Port = 8080,
    Env = new CreateAppRequest_env { AdditionalData = { ["LOG_LEVEL"] = "info" } },
    Secrets = new CreateAppRequest_secrets { AdditionalData = { ["DATABASE_URL"] = "postgres://db" } },
    HealthCheck = new HealthCheckRequest { Type = "http", Path = "/" },
});
Check(created?.Secrets?.Any(s => s.Name == "DATABASE_URL") == true, "the app lists its secret by name");

// environments: production gets its own database URL
await client.Api.V1.Apps[app].Environments.PostAsync(new CreateEnvironmentRequest { Name = "staging", Stage = "Staging", Backend = "docker" });
await client.Api.V1.Apps[app].Environments.PostAsync(new CreateEnvironmentRequest
{
    Name = "prod", Stage = "Production", Backend = "docker", Replicas = 2,
    Secrets = new CreateEnvironmentRequest_secrets { AdditionalData = { ["DATABASE_URL"] = "postgres://prod" } },
});
var environments = await client.Api.V1.Apps[app].Environments.GetAsync();
Check(environments?.Count == 2, "the app has two environments");

// registry credentials, changed with optimistic concurrency: the ETag of the last read goes back as If-Match
var headers = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
await client.Api.V1.Apps[app].GetAsync(c => c.Options.Add(headers));
var etag = headers.ResponseHeaders["ETag"].Single();
var patched = await client.Api.V1.Apps[app].PatchAsync(
    new UntypedObject(new Dictionary<string, UntypedNode>
    {
        ["registryCredentials"] = new UntypedObject(new Dictionary<string, UntypedNode>
        {
            ["server"] = new UntypedString("registry.example.com:5000"),
            ["username"] = new UntypedString("ci-bot"),
            ["password"] = new UntypedString("s3cret"),
        }),
    }),
    c => c.Headers.Add("If-Match", etag));
Check(patched?.RegistryCredentials?.HasPassword == true, "the credentials are stored (the password is never returned)");
try
{
    await client.Api.V1.Apps[app].PatchAsync(new UntypedObject(new Dictionary<string, UntypedNode> { ["description"] = new UntypedString("stale") }),
        c => c.Headers.Add("If-Match", etag));
    Check(false, "a stale If-Match is refused");
}
catch (ApiException problem) when (problem.ResponseStatusCode == 412)
{
    Console.WriteLine("ok: a stale If-Match is refused with 412");
}

// a CI token for the team, shown once
var ci = await client.Api.V1.Teams[team].Tokens.PostAsync(new CreateTeamTokenRequest { Name = "github-actions", Scope = TokenScope.Deploy });
Check(ci?.Token?.StartsWith("pdk_") == true, "the team token is shown once");

// who changed what, and is the trail intact?
var audit = await client.Api.V1.Audit.GetAsync(c => { c.QueryParameters.Team = team; c.QueryParameters.Action = "app.*"; });
Check(audit?.Items?.Count >= 2, "the audit trail shows the app's creation and change");
var verification = await client.Api.V1.Audit.Verify.GetAsync();
Check(verification?.Valid == true, "audit chain valid");
return 0;

static void Check(bool condition, string what)
{
    if (!condition) throw new InvalidOperationException($"failed: {what}");
    Console.WriteLine($"ok: {what}");
}
