using System.Diagnostics;
using Docker.DotNet.Models;
using Xunit.Abstractions;

namespace Paddock.Backends.Docker.Tests;

/// <summary>What the backend adds on top of the engine: ApplyAsync of the demo image against a bare
/// create + start + first HTTP answer with the same engine. Figures go to the test output
/// (<c>dotnet test --logger "console;verbosity=detailed"</c>).</summary>
[Collection(EngineCollection.Name)]
public sealed class ApplyTimingTests(EngineFixture engine, ITestOutputHelper output)
{
    private const int Rounds = 5;

    [Fact]
    public async Task Applying_the_demo_image_takes_about_as_long_as_a_bare_create_start_and_first_answer()
    {
        using var backend = engine.NewBackend();
        var applied = new List<double>();
        var bare = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            applied.Add(await TimeApplyAsync(backend));
            bare.Add(await TimeBareAsync());
        }

        output.WriteLine($"ApplyAsync (network, create, start, probe): median {Median(applied):0} ms [{string.Join(", ", applied.Select(x => x.ToString("0")))}]");
        output.WriteLine($"bare create+start+first HTTP answer:      median {Median(bare):0} ms [{string.Join(", ", bare.Select(x => x.ToString("0")))}]");
        // Generous: the point is the printed figures; this only catches a backend that waits for nothing.
        Assert.True(Median(applied) < Median(bare) + 2000, $"apply {Median(applied):0} ms vs bare {Median(bare):0} ms");
    }

    private static async Task<double> TimeApplyAsync(DockerBackend backend)
    {
        var spec = EngineFixture.NewSpec();
        var clock = Stopwatch.StartNew();
        var result = await backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        Assert.True(result.Succeeded, result.Failure?.Reason);
        await backend.TearDownAsync(spec.EnvironmentId, spec.ResourceName, CancellationToken.None);
        return elapsed;
    }

    private async Task<double> TimeBareAsync()
    {
        var clock = Stopwatch.StartNew();
        var created = await engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = DemoImages.V1,
            Labels = new Dictionary<string, string> { [EngineFixture.TestLabel] = "backends-docker" },
            ExposedPorts = new Dictionary<string, EmptyStruct> { ["8080/tcp"] = default },
            HostConfig = new HostConfig
            {
                PortBindings = new Dictionary<string, IList<PortBinding>>
                {
                    ["8080/tcp"] = [new PortBinding { HostIP = "127.0.0.1", HostPort = "" }],
                },
            },
        });
        try
        {
            await engine.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
            var inspected = await engine.Client.Containers.InspectContainerAsync(created.ID);
            var port = int.Parse(inspected.NetworkSettings!.Ports["8080/tcp"][0].HostPort);
            while (true)
            {
                try
                {
                    await Http.GetAsync(new Domain.Backends.HostEndpoint("127.0.0.1", port));
                    return clock.Elapsed.TotalMilliseconds;
                }
                catch (HttpRequestException) when (clock.Elapsed < TimeSpan.FromSeconds(20))
                {
                    await Task.Delay(10);
                }
            }
        }
        finally
        {
            await engine.Client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
