using Paddock.Integration.Tests.Sources;

namespace Paddock.Integration.Tests.Access;

/// <summary>One git server for the access worlds of this test run (started on first use, stopped when the test process
/// exits): a repository with a workload that worlds' environments follow, and empty ones to register and delete.</summary>
public static class AccessGitServer
{
    public const string WorkloadPath = "score.yaml";

    /// <summary>Where the repository "catalog" keeps its entry folders, and its one entry's folder (also its id).</summary>
    public const string CatalogPath = "catalog";
    public const string CatalogEntryFolder = "tiny";

    /// <summary>The files of the catalog's one entry (a container and a parameter, no resources), by name in its folder.</summary>
    public static readonly IReadOnlyDictionary<string, string> CatalogEntry = new Dictionary<string, string>
    {
        ["entry.yaml"] = "id: tiny\nname: Tiny\nversion: \"1.0\"\ndescription: A tiny app.\nicon: icon.svg\nimages:\n  web: localhost/paddock-demo:1\n" +
            "parameters:\n  - id: GREETING\n    label: Greeting\n    default: hello\n",
        ["score.yaml"] = "apiVersion: score.dev/v1b1\nmetadata:\n  name: tiny\ncontainers:\n  tiny:\n    image: \"${images.web}\"\n    variables:\n" +
            "      GREETING: \"${parameters.GREETING}\"\nservice:\n  ports:\n    web:\n      port: 8080\n",
        ["icon.svg"] = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 8\"><circle cx=\"4\" cy=\"4\" r=\"4\"/></svg>\n",
    };

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static GitServer? Shared;
    private static string? SharedHead;

    public static async Task<(GitServer Server, string Head)> StartedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (Shared is not null) return (Shared, SharedHead!);
            var server = await GitServer.StartAsync();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            var followed = await server.CreateRepositoryAsync("followed");
            SharedHead = await followed.CommitAsync("The access world's workload", new Dictionary<string, string>
            {
                [WorkloadPath] = "apiVersion: score.dev/v1b1\nmetadata:\n  name: web\ncontainers:\n  web:\n    image: localhost/paddock-demo:1\n",
            });
            var catalog = await server.CreateRepositoryAsync("catalog");
            await catalog.CommitAsync("A catalog with one entry", CatalogEntry.ToDictionary(f => $"{CatalogPath}/{CatalogEntryFolder}/{f.Key}", f => f.Value));
            await server.CreateRepositoryAsync("to-register");
            await server.CreateRepositoryAsync("to-delete");
            Shared = server;
            return (Shared, SharedHead);
        }
        finally
        {
            Gate.Release();
        }
    }
}
