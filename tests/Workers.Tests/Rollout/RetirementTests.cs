using System.Diagnostics;
using Docker.DotNet.Models;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Paddock.Backends.Docker;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Jobs;
using Paddock.Workers.Reconciliation;
using Paddock.Workers.Rollout;
using Paddock.Workers.Sweeping;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Rollout;

/// <summary>Busybox httpd as PID 1 ignores SIGTERM, as many images' entry points do: stopping one of its instances
/// always takes the whole grace period. Deployments must not wait for that.</summary>
[Collection(WorkerCollection.Name)]
public sealed class RetirementTests(WorkerWorld world)
{
    private const int GraceSeconds = 6;

    /// <summary>The demo image runs httpd under a shell that exits on SIGTERM; without that shell httpd is PID 1.</summary>
    private static readonly string[] HttpdAsPid1 = ["/bin/httpd", "-f", "-p", "8080", "-h", "/www"];

    [Fact]
    public async Task A_deployment_is_live_and_the_next_one_runs_while_the_replaced_instances_still_wait_out_their_grace_period()
    {
        var environment = await world.CreateEnvironmentAsync(configure: app => { app.StopGracePeriodSeconds = GraceSeconds; app.Command = HttpdAsPid1; });
        var first = await world.QueueDeploymentAsync(environment.Id);
        await world.DeployAsync(first);

        var second = await world.QueueDeploymentAsync(environment.Id, image: DemoImages.V2);
        var clock = Stopwatch.StartNew();
        var secondJob = Task.Run(() => world.DeployAsync(second));
        await WorkerWorld.WaitUntilAsync(async () => (await world.DeploymentAsync(second)).Status == DeploymentStatus.Succeeded, "the second deployment is live");
        var secondLive = clock.Elapsed;

        var third = await world.QueueDeploymentAsync(environment.Id);
        clock.Restart();
        var thirdJob = Task.Run(() => world.DeployAsync(third));
        await WorkerWorld.WaitUntilAsync(async () => (await world.DeploymentAsync(third)).Status == DeploymentStatus.Succeeded, "the third deployment is live");
        var thirdLive = clock.Elapsed;
        Assert.Equal("paddock demo v1\n", await world.GetThroughEdgeAsync($"{environment.ResourceName}.localhost"));

        // Neither waited for a drain (2 s) plus a stop that takes the whole grace period.
        Assert.True(secondLive < TimeSpan.FromSeconds(GraceSeconds), $"the second deployment took {secondLive.TotalSeconds:0.0}s to go live");
        Assert.True(thirdLive < TimeSpan.FromSeconds(GraceSeconds), $"the third deployment took {thirdLive.TotalSeconds:0.0}s to go live");
        Assert.True((await world.DeploymentAsync(first)).IsRetiring, "the first deployment's instance was still on its way out when the third went live");

        await Task.WhenAll(secondJob, thirdJob);
        var retired = await world.DeploymentAsync(first);
        Assert.NotNull(retired.RetiredAt);
        // Its instance got the app's grace period, not the backend's 2 s stop timeout.
        Assert.True(retired.RetiredAt - retired.RetiringSince >= TimeSpan.FromSeconds(GraceSeconds - 0.5),
            $"retired {(retired.RetiredAt - retired.RetiringSince)?.TotalSeconds:0.0}s after it began retiring");
        Assert.NotNull((await world.DeploymentAsync(second)).RetiredAt);
        var container = Assert.Single(await world.ContainersAsync(environment.Id));
        Assert.Equal(third.ToString(), container.Labels[DockerLabels.DeploymentId]);
        var phases = (await world.EventsAsync(environment.Id)).Where(e => e.DeploymentId == first).Select(e => e.Phase).ToList();
        Assert.Equal([Retirement.RetiringPhase, Retirement.RetiredPhase], phases.Where(p => p.StartsWith("retir", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_retirement_whose_worker_stopped_is_enqueued_again_by_the_sweeper_and_finished()
    {
        var environment = await world.CreateEnvironmentAsync(configure: app => { app.StopGracePeriodSeconds = 1; app.Command = HttpdAsPid1; });
        var (first, second) = await DeployTwiceInterruptingTheRetirementAsync(environment.Id);
        Assert.True((await world.DeploymentAsync(first)).IsRetiring);
        Assert.Equal(2, (await world.ContainersAsync(environment.Id)).Count);

        var jobs = new RecordingJobClient();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var sweeper = new JobSweeper(world.Host.Services.GetRequiredService<IServiceScopeFactory>(), jobs,
            Options.Create(new DeploySettings()), clock, NullLogger<JobSweeper>.Instance);
        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Equal(0, jobs.Count(nameof(IEnvironmentJobs.RetireAsync), first));   // it may still be at work
        clock.Advance(sweeper.StaleAfter + TimeSpan.FromSeconds(2));
        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Equal(1, jobs.Count(nameof(IEnvironmentJobs.RetireAsync), first));

        await RetireAsync(first);
        Assert.NotNull((await world.DeploymentAsync(first)).RetiredAt);
        var container = Assert.Single(await world.ContainersAsync(environment.Id));
        Assert.Equal(second.ToString(), container.Labels[DockerLabels.DeploymentId]);
        Assert.Contains(await world.EventsAsync(environment.Id), e => e.DeploymentId == first && e.Phase == Retirement.RetiredPhase);

        await RetireAsync(first);   // again: nothing left to do, nothing said twice
        Assert.Single(await world.EventsAsync(environment.Id), e => e.DeploymentId == first && e.Phase == Retirement.RetiredPhase);
    }

    [Fact]
    public async Task The_reconciler_leaves_retiring_instances_alone_and_never_recreates_them()
    {
        var environment = await world.CreateEnvironmentAsync(configure: app => { app.StopGracePeriodSeconds = 1; app.Command = HttpdAsPid1; });
        var (first, _) = await DeployTwiceInterruptingTheRetirementAsync(environment.Id);
        using var host = WorkerWorld.BuildHost(world.Settings(), reconciler: true);

        Assert.Equal(ReconcileResult.InSync, await ReconcileAsync(host, environment.Id));
        var old = Assert.Single(await world.ContainersAsync(environment.Id), c => c.Labels[DockerLabels.DeploymentId] == first.ToString());
        Assert.Equal("running", old.State);

        await world.Engine.Containers.KillContainerAsync(old.ID, new ContainerKillParameters());
        Assert.Equal(ReconcileResult.InSync, await ReconcileAsync(host, environment.Id));
        var left = Assert.Single(await world.ContainersAsync(environment.Id), c => c.Labels[DockerLabels.DeploymentId] == first.ToString());
        Assert.Equal(old.ID, left.ID);
        Assert.NotEqual("running", left.State);
        Assert.Equal(EnvironmentHealth.Healthy, (await world.EnvironmentAsync(environment.Id)).Health);

        await RetireAsync(first);
        Assert.Single(await world.ContainersAsync(environment.Id));
        Assert.Equal(ReconcileResult.InSync, await ReconcileAsync(host, environment.Id));
    }

    /// <summary>Deploys the demo image twice; the second deployment runs in a worker process that is stopping, so the
    /// retirement of the first's instance it starts ends at once (as when the worker dies after the switch).</summary>
    private async Task<(Guid First, Guid Second)> DeployTwiceInterruptingTheRetirementAsync(Guid environmentId)
    {
        var first = await world.QueueDeploymentAsync(environmentId);
        await world.DeployAsync(first);
        var second = await world.QueueDeploymentAsync(environmentId, image: DemoImages.V2);
        using var stopping = WorkerWorld.BuildHost(world.Settings());
        await stopping.Services.GetRequiredService<RetirementRunner>().DisposeAsync();
        await using (var scope = stopping.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<IEnvironmentJobs>().DeployAsync(second, CancellationToken.None);
        Assert.Equal(DeploymentStatus.Succeeded, (await world.DeploymentAsync(second)).Status);
        return (first, second);
    }

    private async Task RetireAsync(Guid deploymentId)
    {
        await using var scope = world.Host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IEnvironmentJobs>().RetireAsync(deploymentId, CancellationToken.None);
    }

    private static async Task<ReconcileResult> ReconcileAsync(Microsoft.Extensions.Hosting.IHost host, Guid environmentId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<EnvironmentReconciler>().ReconcileAsync(environmentId, "test", CancellationToken.None)).Result;
    }

    private sealed class RecordingJobClient : IBackgroundJobClient
    {
        private readonly List<Job> _created = [];

        public int Count(string method, Guid argument)
        {
            lock (_created) return _created.Count(j => j.Method.Name == method && Equals(j.Args[0], argument));
        }

        public string Create(Job job, IState state)
        {
            lock (_created) _created.Add(job);
            return Guid.NewGuid().ToString();
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }
}
