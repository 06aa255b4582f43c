using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests;

public sealed partial class ApiDocumentationTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [GeneratedRegex("<script[^>]+src=\"([^\"]+)\"")]
    private static partial Regex ScriptSource();

    [Fact]
    public async Task The_openapi_document_describes_every_api_route()
    {
        var client = portal.ClientWithToken(null);
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Contains("/api/v1/teams", paths);
        Assert.Contains("/api/v1/apps/{app}/environments/{env}/deployments", paths);
        Assert.Contains("/api/v1/audit/verify", paths);
        Assert.Contains("/api/v1/clusters", paths);
        Assert.Contains("/api/v1/clusters/{name}", paths);
        Assert.Contains("/api/v1/catalog", paths);
        Assert.Contains("/api/v1/catalog/{id}", paths);
        Assert.Contains("/api/v1/apps/{app}/catalog", paths);
        var reveal = document.RootElement.GetProperty("paths").GetProperty("/api/v1/apps/{app}/environments/{env}/resources/{name}/outputs/{output}/reveal")
            .GetProperty("post").GetProperty("responses");
        Assert.Superset(new HashSet<string> { "200", "403", "404" }, reveal.EnumerateObject().Select(r => r.Name).ToHashSet());
        Assert.Contains("/api/v1/catalog/sources", paths);
        Assert.Contains("/api/v1/catalog/sources/{name}", paths);
        Assert.Contains("/api/v1/catalog/{source}/{entry}", paths);
        Assert.Contains("/api/v1/catalog/{source}/{entry}/install", paths);
        var register = document.RootElement.GetProperty("paths").GetProperty("/api/v1/catalog/sources").GetProperty("post").GetProperty("responses");
        Assert.Superset(new HashSet<string> { "201", "403", "409", "422" }, register.EnumerateObject().Select(r => r.Name).ToHashSet());
        var install = document.RootElement.GetProperty("paths").GetProperty("/api/v1/catalog/{id}/install").GetProperty("post").GetProperty("responses");
        Assert.Superset(new HashSet<string> { "201", "202", "409", "422" }, install.EnumerateObject().Select(r => r.Name).ToHashSet());
    }

    [Fact]
    public async Task The_openapi_document_passes_redoclys_recommended_rules_without_errors()
    {
        var document = await portal.ClientWithToken(null).GetStringAsync("/openapi/v1.json");
        var folder = Directory.CreateTempSubdirectory("paddock-openapi-").FullName;
        try
        {
            var file = Path.Combine(folder, "v1.json");
            await File.WriteAllTextAsync(file, document);

            var (exitCode, output) = await RunAsync(Redocly(), folder, "lint", file, "--extends=recommended", "--format=stylish");

            Assert.True(exitCode == 0, $"redocly lint found errors:\n{output}");
            Assert.DoesNotContain(" error ", output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Every_operation_declares_its_authentication_a_summary_an_id_and_its_problem_answers()
    {
        using var document = JsonDocument.Parse(await portal.ClientWithToken(null).GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement;
        Assert.Equal("bearer", root.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.All(root.GetProperty("servers").EnumerateArray(), server => Assert.False(server.GetProperty("url").GetString()!.EndsWith('/')));

        foreach (var path in root.GetProperty("paths").EnumerateObject())
        foreach (var operation in path.Value.EnumerateObject())
        {
            var where = $"{operation.Name.ToUpperInvariant()} {path.Name}";
            var op = operation.Value;
            Assert.True(op.TryGetProperty("summary", out _), $"{where} has no summary");
            Assert.True(op.TryGetProperty("operationId", out _), $"{where} has no operationId");
            var security = op.GetProperty("security");
            var responses = op.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
            var anonymous = path.Name.StartsWith("/api/v1/webhooks/", StringComparison.Ordinal);
            Assert.True(anonymous ? security.GetArrayLength() == 0 : security[0].TryGetProperty("bearer", out _), $"{where}: security {security}");
            Assert.Contains("400", responses);
            if (!anonymous) Assert.Superset(new HashSet<string> { "401", "403" }, responses);
            if (path.Name.Contains('{')) Assert.Contains("404", responses);
            var problem = op.GetProperty("responses").GetProperty("400").GetProperty("content");
            Assert.True(problem.TryGetProperty("application/problem+json", out _), $"{where}: 400 is not a problem");
        }
        var patchApp = root.GetProperty("paths").GetProperty("/api/v1/apps/{app}").GetProperty("patch");
        Assert.True(patchApp.GetProperty("responses").TryGetProperty("412", out _));
        Assert.Contains(patchApp.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "If-Match");
    }

    /// <summary>Redocly's CLI as test.sh installs it (PADDOCK_TEST_REDOCLY), else the repository's .tools copy.</summary>
    private static string Redocly()
    {
        if (Environment.GetEnvironmentVariable("PADDOCK_TEST_REDOCLY") is { Length: > 0 } given) return given;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".tools", "redocly", "node_modules", ".bin", "redocly");
            if (File.Exists(candidate)) return candidate;
        }
        Assert.Fail("Redocly's CLI is not installed: run ./test.sh, which installs @redocly/cli into .tools/redocly.");
        return "";
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task The_interactive_docs_page_is_served_with_its_script_from_the_portal_itself()
    {
        var client = portal.ClientWithToken(null);
        var page = await client.GetAsync("/docs");
        if (page.StatusCode is HttpStatusCode.Found or HttpStatusCode.MovedPermanently) page = await client.GetAsync(page.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();

        var scripts = ScriptSource().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            Assert.False(script.StartsWith("http", StringComparison.OrdinalIgnoreCase), $"{script} would need the internet");
            var asset = await client.GetAsync(new Uri(new Uri("http://localhost/docs/"), script));
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        }
    }
}
