using Docker.DotNet;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker.Tests;

/// <summary>Two engines on one host (run.sh's beside a test run's, say): each numbers its bridges and subnets as if it
/// were alone, so their environments' networks must not be left to those defaults.</summary>
[Collection(EngineCollection.Name)]
public sealed class TwoEnginesTests(EngineFixture engine)
{
    [Fact]
    public async Task Environments_on_two_engines_of_one_host_each_answer_with_their_own_content()
    {
        await using var second = await PodmanService.StartAsync();
        using var secondClient = new DockerClientBuilder().WithEndpoint(second.Endpoint).Build();
        await PodmanService.WaitUntilAnswersAsync(secondClient);
        await DemoImages.ImportIfMissingAsync(secondClient, DemoImages.V2, "2");
        var first = engine.NewBackend();
        var other = new DockerBackend(new DockerBackendOptions { Endpoint = second.Endpoint, StopTimeout = TimeSpan.FromSeconds(2) }, TimeProvider.System);
        var mine = EngineFixture.NewSpec(DemoImages.V1);
        var theirs = EngineFixture.NewSpec(DemoImages.V2);
        try
        {
            // A network whose containers are gone has no bridge on the host, so nothing tells the other engine that
            // its name and subnet are taken: the moment two engines hand out the same ones.
            await ApplyAsync(first, mine);
            await first.RemoveOthersAsync(mine.EnvironmentId, Guid.NewGuid(), CancellationToken.None);
            var theirInstance = (await ApplyAsync(other, theirs)).Instances.Single();
            var myInstance = (await ApplyAsync(first, mine with { DeploymentId = Guid.CreateVersion7() })).Instances.Single();

            for (var i = 0; i < 5; i++)
            {
                Assert.Equal("paddock demo v1", (await Http.GetAsync(myInstance.Endpoint!)).Trim());
                Assert.Equal("paddock demo v2", (await Http.GetAsync(theirInstance.Endpoint!)).Trim());
            }
            await other.TearDownAsync(theirs.EnvironmentId, theirs.ResourceName, CancellationToken.None);
            Assert.Equal("paddock demo v1", (await Http.GetAsync(myInstance.Endpoint!)).Trim());
        }
        finally
        {
            await first.TearDownAsync(mine.EnvironmentId, mine.ResourceName, CancellationToken.None);
            await other.TearDownAsync(theirs.EnvironmentId, theirs.ResourceName, CancellationToken.None);
        }
    }

    private static async Task<ApplyResult> ApplyAsync(DockerBackend backend, WorkloadSpec spec)
    {
        var result = await backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None);
        Assert.True(result.Succeeded, result.Failure?.Reason);
        return result;
    }
}
