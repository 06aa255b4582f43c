using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Persistence;
using Paddock.Runtime.Backends;

namespace Paddock.Integration.Tests.Clusters;

/// <summary>Another portal or worker process on the same database, built the way the workers build theirs
/// (persistence, backends, registered clusters), with the fallback reload pushed far out so that only the
/// notification can explain a change arriving in time.</summary>
public sealed class OtherProcessTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static readonly TimeSpan InTime = TimeSpan.FromSeconds(10);

    private async Task<IHost> StartOtherProcessAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Paddock"] = portal.AppConnectionString,
            ["Paddock:DataDirectory"] = portal.DataDirectory,
            ["Clusters:RefreshSeconds"] = "3600",
        });
        builder.Services.AddLogging();
        builder.AddPaddockPersistence();
        builder.Services.AddPaddockBackends();
        builder.Services.AddRegisteredClusters(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<T> EventuallyAsync<T>(Func<T> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + InTime;
        while (true)
        {
            var value = read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) Assert.Fail($"{what} did not happen within {InTime.TotalSeconds}s");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Another_process_sees_a_new_changed_and_removed_cluster_without_restart()
    {
        using var other = await StartOtherProcessAsync();
        var registry = other.Services.GetRequiredService<BackendRegistry>();
        var name = Unique.Name("far");
        Assert.Null(registry.Find(name));
        var admin = portal.AdminClient();

        await Api.EnsureAsync(await admin.PostAsJsonAsync("/api/v1/clusters", new { name, kubeconfig = Kubeconfigs.Unreachable() }), HttpStatusCode.Created);
        var first = await EventuallyAsync(() => registry.Find(name), b => b is not null, "Seeing the new cluster");
        Assert.Equal("kubernetes", first!.Kind);
        Assert.Contains(name, registry.Names);
        var info = await first.DescribeAsync(CancellationToken.None);
        Assert.False(info.Reachable);
        Assert.Contains("127.0.0.1:1", info.Reason);

        await Api.EnsureAsync((await admin.CallAsync(HttpMethod.Patch, $"/api/v1/clusters/{name}",
            new { kubeconfig = Kubeconfigs.Unreachable(server: "https://127.0.0.1:3") })).Response, HttpStatusCode.OK);
        var second = await EventuallyAsync(() => registry.Find(name), b => b is not null && !ReferenceEquals(b, first), "Rebuilding the changed cluster");
        Assert.Contains("127.0.0.1:3", (await second!.DescribeAsync(CancellationToken.None)).Reason);

        await Api.EnsureAsync((await admin.CallAsync(HttpMethod.Delete, $"/api/v1/clusters/{name}")).Response, HttpStatusCode.OK);
        await EventuallyAsync(() => registry.Find(name), b => b is null, "Forgetting the removed cluster");
        Assert.DoesNotContain(name, registry.Names);
        await other.StopAsync();
    }

    [Fact]
    public async Task A_process_started_after_the_registration_has_the_cluster_from_its_first_moment()
    {
        var name = Unique.Name("early");
        await Api.EnsureAsync(await portal.AdminClient().PostAsJsonAsync("/api/v1/clusters", new { name, kubeconfig = Kubeconfigs.Unreachable() }), HttpStatusCode.Created);

        using var other = await StartOtherProcessAsync();

        Assert.NotNull(other.Services.GetRequiredService<BackendRegistry>().Find(name));
        await other.StopAsync();
    }
}
