using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Paddock.Domain.Deployments;
using Paddock.Workers.Sweeping;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Sweeping;

[Collection(WorkerCollection.Name)]
public sealed class JobSweeperTests(WorkerWorld world)
{
    [Fact]
    public async Task A_queued_deployment_without_a_live_job_is_enqueued_again_once_per_interval()
    {
        var environment = await world.CreateEnvironmentAsync();
        var lost = await world.QueueDeploymentAsync(environment.Id, queuedAt: DateTime.UtcNow.AddMinutes(-2));
        var fresh = await world.QueueDeploymentAsync((await world.CreateEnvironmentAsync()).Id);
        var (sweeper, jobs, _) = NewSweeper();

        await sweeper.SweepAsync(CancellationToken.None);
        await sweeper.SweepAsync(CancellationToken.None);

        Assert.Equal(1, jobs.Count("DeployAsync", lost));
        Assert.Equal(0, jobs.Count("DeployAsync", fresh));
        Assert.All(jobs.Queues, q => Assert.Equal("deploy", q));
    }

    [Fact]
    public async Task A_deploying_deployment_whose_worker_stopped_heartbeating_is_enqueued_again_and_resumes()
    {
        var environment = await world.CreateEnvironmentAsync();
        var orphan = await world.QueueDeploymentAsync(environment.Id);
        await world.WithDb(async db =>
        {
            var deployment = await db.Deployments.SingleAsync(d => d.Id == orphan);
            deployment.Start("a-worker-that-died", DateTime.UtcNow.AddMinutes(-2));
            await db.SaveChangesAsync();
        });
        var (sweeper, jobs, _) = NewSweeper();

        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Equal(1, jobs.Count("DeployAsync", orphan));

        await world.DeployAsync(orphan);
        Assert.Equal(DeploymentStatus.Succeeded, (await world.DeploymentAsync(orphan)).Status);
        Assert.Contains(await world.EventsAsync(environment.Id), e => e.Phase == "resumed");
    }

    [Fact]
    public async Task An_environment_deleting_for_longer_than_the_grace_period_gets_its_teardown_again()
    {
        var environment = await world.CreateEnvironmentAsync();
        await world.BeginDeletionAsync(environment.Id);
        var (sweeper, jobs, clock) = NewSweeper();

        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Equal(0, jobs.Count("TearDownAsync", environment.Id));
        clock.Advance(sweeper.StaleAfter + TimeSpan.FromSeconds(1));
        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Equal(1, jobs.Count("TearDownAsync", environment.Id));

        await world.TearDownAsync(environment.Id);
        Assert.True((await world.EnvironmentAsync(environment.Id)).IsDeleted);
    }

    private (JobSweeper, RecordingJobClient, FakeTimeProvider) NewSweeper()
    {
        var jobs = new RecordingJobClient();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        return (new JobSweeper(world.Host.Services.GetRequiredService<IServiceScopeFactory>(), jobs, Options.Create(new DeploySettings()), clock, NullLogger<JobSweeper>.Instance), jobs, clock);
    }

    private sealed class RecordingJobClient : IBackgroundJobClient
    {
        private readonly List<(Job Job, string? Queue)> _created = [];

        public IEnumerable<string?> Queues { get { lock (_created) return _created.Select(c => c.Queue).ToList(); } }

        public int Count(string method, Guid argument)
        {
            lock (_created) return _created.Count(c => c.Job.Method.Name == method && Equals(c.Job.Args[0], argument));
        }

        public string Create(Job job, IState state)
        {
            lock (_created) _created.Add((job, job.Queue ?? (state as EnqueuedState)?.Queue));
            return Guid.NewGuid().ToString();
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }
}
