using System.Net.Http.Json;

namespace Paddock.E2E.Tests.Infrastructure;

/// <summary>What journeys set up through the API before the browser takes over, as a script would.</summary>
public static class ApiSetup
{
    /// <summary>A new team with one app on the demo image (v1, port 8080).</summary>
    public static async Task CreateAppAsync(this HttpClient admin, string team, string app, object? registryCredentials = null)
    {
        (await admin.PostAsJsonAsync("/api/v1/teams", new { name = team })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/apps", new { name = app, team, image = "localhost/paddock-demo:1", port = 8080, registryCredentials }))
            .EnsureSuccessStatusCode();
    }

    /// <summary><see cref="CreateAppAsync"/>, plus the app's <c>dev</c> environment on the Docker backend.</summary>
    public static async Task CreateAppWithDevEnvironmentAsync(this HttpClient admin, string team, string app)
    {
        await admin.CreateAppAsync(team, app);
        (await admin.PostAsJsonAsync($"/api/v1/apps/{app}/environments", new { name = "dev", stage = "development", backend = "docker" })).EnsureSuccessStatusCode();
    }
}
