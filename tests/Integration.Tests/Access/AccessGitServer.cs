using Paddock.Integration.Tests.Sources;

namespace Paddock.Integration.Tests.Access;

/// <summary>One git server for the access worlds of this test run (started on first use, stopped when the test process
/// exits): a repository with a workload that worlds' environments follow, and empty ones to register and delete.</summary>
public static class AccessGitServer
{
    public const string WorkloadPath = "score.yaml";

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
