using System.Text.Json;
using Docker.DotNet.Models;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Applications;
using Paddock.Domain.Environments;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Reconciliation;

/// <summary>A container failing its liveness probe is drift of its instance: the reconciler replaces the instance through
/// its repair path, and its event and audit entry say which container failed which probe.</summary>
[Collection(ReconcileCollection.Name)]
public sealed class LivenessTests(ReconcileWorld world)
{
    private static readonly Dictionary<string, string?> FastLiveness = new()
    {
        ["Backends:docker:LivenessPeriod"] = "00:00:00.300",
        ["Backends:docker:LivenessFailureThreshold"] = "2",
        ["Backends:docker:ProbeTimeout"] = "00:00:10",
    };

    [Fact]
    public async Task An_instance_whose_container_fails_its_liveness_probe_is_replaced_with_an_event_and_audit_entry_naming_both()
    {
        var (environment, deploymentId) = await world.RunningEnvironmentAsync(
            app => app.Command = ["/bin/sh", "-c", "echo ok > /tmp/alive; trap 'exit 0' TERM INT; /bin/httpd -f -p 8080 -h /www & wait"],
            snapshot => snapshot with { Probes = [new ContainerProbe("web", ProbePurpose.Liveness, ProbeAction.Command("cat", "/tmp/alive"))] });
        await using var reconciler = await world.StartReconcilerAsync(FastLiveness);
        await reconciler.WaitUntilLeaderAsync();
        var failing = await world.SingleContainerAsync(environment.Id);
        // Passing probes repair nothing.
        Assert.False(await WorkerWorld.HoldsWithinAsync(async () => (await world.RepairsAsync(environment.Id)).Count > 0, seconds: 2));

        var exec = await world.World.Engine.Exec.CreateContainerExecAsync(failing.ID,
            new ContainerExecCreateParameters { Cmd = ["/bin/busybox", "rm", "/tmp/alive"], AttachStdout = true, AttachStderr = true });
        using (var stream = await world.World.Engine.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters()))
            await stream.ReadOutputToEndAsync(CancellationToken.None);

        await world.WaitForRepairsAsync(environment.Id);
        var repair = Assert.Single(await world.RepairsAsync(environment.Id));
        Assert.Contains("failed the liveness probe of its main container (exec cat /tmp/alive) 2 times in a row", repair.Message);
        Assert.Equal(deploymentId, repair.DeploymentId);
        await world.ServesAsync(environment);
        var replacement = await world.SingleContainerAsync(environment.Id);
        Assert.NotEqual(failing.ID, replacement.ID);
        var audit = Assert.Single(await world.World.WithDb(db => db.AuditEvents.AsNoTracking()
            .Where(a => a.TargetId == environment.Id.ToString() && a.Action == "environment.repaired").ToListAsync()));
        using var before = JsonDocument.Parse(audit.Before!);
        Assert.Contains("liveness probe of its main container (exec cat /tmp/alive)",
            Assert.Single(before.RootElement.GetProperty("instances").EnumerateArray()).GetProperty("state").GetString());
        var after = await world.World.EnvironmentAsync(environment.Id);
        Assert.Equal((EnvironmentHealth.Healthy, EnvironmentSync.InSync), (after.Health, after.Sync));
    }
}
