using System.Diagnostics;
using Paddock.Integration.Tests.Applications;

namespace Paddock.Integration.Tests.Contract;

/// <summary>A client generated from the OpenAPI document (Kiota, pinned in dotnet-tools.json) compiles and does
/// the README's walk-through against the real portal on Kestrel: the document is a contract a generator can trust.</summary>
public sealed class ClientWalkthroughTests(KestrelPortal portal) : IClassFixture<KestrelPortal>
{
    [Fact]
    public async Task A_client_generated_from_the_openapi_document_compiles_and_walks_through_the_readme()
    {
        using var http = portal.CreateClient();
        var document = await http.GetStringAsync("/openapi/v1.json");
        var folder = Directory.CreateTempSubdirectory("paddock-client-").FullName;
        try
        {
            var documentFile = Path.Combine(folder, "v1.json");
            await File.WriteAllTextAsync(documentFile, document);
            var project = Path.Combine(RepositoryRoot(), "tests", "ClientWalkthrough", "ClientWalkthrough.csproj");
            var output = Path.Combine(folder, "out");

            var build = await RunAsync("dotnet", "build", project, "-c", "Release", "-nologo", "-v", "q",
                $"-p:OpenApiDocument={documentFile}", "-o", output);
            Assert.True(build.ExitCode == 0, $"the generated client did not build:\n{build.Output}");

            var walk = await RunAsync("dotnet", Path.Combine(output, "ClientWalkthrough.dll"), http.BaseAddress!.ToString().TrimEnd('/'), portal.AdminToken);
            Assert.True(walk.ExitCode == 0, $"the walk-through failed:\n{walk.Output}");
            Assert.Contains("audit chain valid", walk.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "dotnet-tools.json"))) return dir.FullName;
        throw new InvalidOperationException("No repository root above " + AppContext.BaseDirectory);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
