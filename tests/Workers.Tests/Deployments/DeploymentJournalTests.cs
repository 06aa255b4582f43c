using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Paddock.Domain.Backends;
using Paddock.Persistence;
using Paddock.Persistence.Events;
using Paddock.Workers.Deployments;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Deployments;

[Collection(WorkerCollection.Name)]
public sealed class DeploymentJournalTests(WorkerWorld world)
{
    [Fact]
    public async Task Backend_steps_keep_the_time_they_happened_and_the_order_they_were_reported_in()
    {
        var environment = await world.CreateEnvironmentAsync();
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);
        var happened = DateTime.UtcNow.AddSeconds(-30);

        await using (var scope = world.Host.Services.CreateAsyncScope())
        {
            var services = scope.ServiceProvider;
            await using var journal = NewJournal(services, deploymentId, environment.Id, Task.FromResult(true));
            journal.Report(new BackendEvent(happened, environment.Id, BackendEventPhase.Create, "Created instance x") { DeploymentId = deploymentId });
            journal.Report(new BackendEvent(happened.AddMilliseconds(130), environment.Id, BackendEventPhase.Start, "Started instance x") { DeploymentId = deploymentId });
            journal.Report(new BackendEvent(happened.AddMilliseconds(140), environment.Id, BackendEventPhase.Ready, "1 instance(s) healthy") { DeploymentId = deploymentId });
            await journal.AppendAsync("switched", Domain.Deployments.EventLevel.Info, "written by the job");
        }

        var events = (await world.EventsAsync(environment.Id)).Where(e => e.DeploymentId == deploymentId).ToList();
        // In the order reported, numbered without gaps, whether or not they were written together.
        Assert.Equal(["create", "start", "ready", "switched"], events.Select(e => e.Phase));
        Assert.Equal(Enumerable.Range(0, 4).Select(i => events[0].Sequence + i), events.Select(e => e.Sequence));
        Assert.Equal(happened, events[0].At, TimeSpan.FromMilliseconds(1));
        Assert.Equal(happened.AddMilliseconds(130), events[1].At, TimeSpan.FromMilliseconds(1));
        Assert.True(events[3].At > happened.AddSeconds(29), "an event of the job's own is stamped when the job wrote it");
    }

    [Fact]
    public async Task Backend_steps_reported_before_the_deployment_started_are_written_after_its_deploying_event()
    {
        var environment = await world.CreateEnvironmentAsync();
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);
        var started = new TaskCompletionSource<bool>();

        await using (var scope = world.Host.Services.CreateAsyncScope())
        {
            var services = scope.ServiceProvider;
            await using var journal = NewJournal(services, deploymentId, environment.Id, started.Task);
            journal.Report(new BackendEvent(DateTime.UtcNow, environment.Id, BackendEventPhase.Create, "Created instance x") { DeploymentId = deploymentId });
            journal.Report(new BackendEvent(DateTime.UtcNow, environment.Id, BackendEventPhase.Start, "Started instance x") { DeploymentId = deploymentId });
            await Task.Delay(200);
            Assert.Empty(await world.EventsAsync(environment.Id));

            // What the job's transition writes on its own context meanwhile.
            await world.WithDb(db => new EnvironmentEventLog(db, TimeProvider.System)
                .AppendAsync(environment.Id, deploymentId, "deploying", Domain.Deployments.EventLevel.Info, "Deploying", CancellationToken.None));
            started.SetResult(true);
        }

        var events = (await world.EventsAsync(environment.Id)).Where(e => e.DeploymentId == deploymentId).ToList();
        Assert.Equal(["deploying", "create", "start"], events.Select(e => e.Phase));
    }

    [Fact]
    public async Task A_deployment_that_never_started_gets_none_of_its_backend_steps_written()
    {
        var environment = await world.CreateEnvironmentAsync();
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);

        await using (var scope = world.Host.Services.CreateAsyncScope())
        {
            await using var journal = NewJournal(scope.ServiceProvider, deploymentId, environment.Id, Task.FromResult(false));
            journal.Report(new BackendEvent(DateTime.UtcNow, environment.Id, BackendEventPhase.Create, "Created instance x") { DeploymentId = deploymentId });
            await Assert.ThrowsAsync<InvalidOperationException>(() => journal.AppendAsync("switched", Domain.Deployments.EventLevel.Info, "not for a deployment that did not start"));
        }

        Assert.Empty(await world.EventsAsync(environment.Id));
    }

    private static DeploymentJournal NewJournal(IServiceProvider services, Guid deploymentId, Guid environmentId, Task<bool> writesAllowed) =>
        new(services.GetRequiredService<PaddockDbContext>(), services.GetRequiredService<EnvironmentEventLog>(),
            TimeProvider.System, NullLogger.Instance, deploymentId, environmentId, TimeSpan.FromMinutes(1), writesAllowed, CancellationToken.None);
}
