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
    public async Task A_backend_step_keeps_the_time_it_happened_not_the_time_its_event_was_written()
    {
        var environment = await world.CreateEnvironmentAsync();
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);
        var happened = DateTime.UtcNow.AddSeconds(-30);

        await using (var scope = world.Host.Services.CreateAsyncScope())
        {
            var services = scope.ServiceProvider;
            await using var journal = new DeploymentJournal(services.GetRequiredService<PaddockDbContext>(), services.GetRequiredService<EnvironmentEventLog>(),
                TimeProvider.System, NullLogger.Instance, deploymentId, environment.Id, TimeSpan.FromMinutes(1), CancellationToken.None);
            journal.Report(new BackendEvent(happened, environment.Id, BackendEventPhase.Create, "Created instance x") { DeploymentId = deploymentId });
            await journal.AppendAsync("switched", Domain.Deployments.EventLevel.Info, "written by the job");
        }

        var events = (await world.EventsAsync(environment.Id)).Where(e => e.DeploymentId == deploymentId).ToList();
        var created = Assert.Single(events, e => e.Phase == "create");
        Assert.Equal(happened, created.At, TimeSpan.FromMilliseconds(1));
        var switched = Assert.Single(events, e => e.Phase == "switched");
        Assert.True(switched.Sequence > created.Sequence);
        Assert.True(switched.At > happened.AddSeconds(29), "an event the job writes itself is stamped when written");
    }
}
