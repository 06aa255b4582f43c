using Docker.DotNet.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Paddock.Backends.Docker;
using Paddock.Domain.Applications;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Persistence;
using Paddock.Runtime.Backends;
using Paddock.Workers.Reconciliation;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Reconciliation;

/// <summary>Reconciler tests run alone (they time repairs, and watch the whole engine) in a world of their own:
/// database, real edge and engine as <see cref="WorkerWorld"/> gives them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReconcileCollection : ICollectionFixture<ReconcileWorld>
{
    public const string Name = "reconcile";
}

public sealed class ReconcileWorld : IAsyncLifetime
{
    public WorkerWorld World { get; } = new();

    public Task InitializeAsync() => World.InitializeAsync();

    public Task DisposeAsync() => World.DisposeAsync();

    /// <summary>A worker process's reconciler, started (it contends for leadership at once).</summary>
    public async Task<ReconcilerProcess> StartReconcilerAsync(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = World.Settings();
        settings.Remove("Backends:dead:Kind");
        settings.Remove("Backends:dead:Endpoint");
        settings["Reconciler:ResyncSeconds"] = "5";
        settings["Reconciler:LeadershipCheckSeconds"] = "0.2";
        settings["Reconciler:DebounceMilliseconds"] = "100";
        settings["Reconciler:CrashLoop:MaxRestarts"] = "3";
        settings["Reconciler:CrashLoop:WindowSeconds"] = "120";
        settings["Reconciler:CrashLoop:InitialBackoffSeconds"] = "1";
        settings["Reconciler:CrashLoop:MaxBackoffSeconds"] = "2";
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>()) settings[key] = value;

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        if (System.Environment.GetEnvironmentVariable("PADDOCK_TEST_LOG_FILE") is { Length: > 0 } logFile)
            builder.Logging.AddProvider(new FileLog(logFile)).SetMinimumLevel(LogLevel.Debug);
        builder.AddPaddockPersistence();
        builder.AddEnvironmentJobs();
        builder.AddReconciler();
        var switches = new Dictionary<string, SwitchableBackend>();
        var kinds = new Dictionary<string, BackendFactory>
        {
            ["docker"] = (name, section, services) =>
            {
                var options = new DockerBackendOptions();
                section.Bind(options);
                options.Name = name;
                return switches[name] = new SwitchableBackend(new DockerBackend(options, TimeProvider.System));
            },
        };
        builder.Services.AddSingleton(sp => new BackendRegistry(sp.GetRequiredService<IConfiguration>(), kinds, sp));
        var host = builder.Build();
        await host.StartAsync();
        host.Services.GetRequiredService<BackendRegistry>();
        return new ReconcilerProcess(host, switches["docker"]);
    }

    /// <summary>A new environment whose first deployment succeeded and serves through the edge.</summary>
    public async Task<(AppEnvironment Environment, Guid DeploymentId)> RunningEnvironmentAsync(Action<Application>? configure = null,
        Func<DeploymentSnapshot, DeploymentSnapshot>? shape = null)
    {
        var environment = await World.CreateEnvironmentAsync(configure: configure);
        var deploymentId = await World.QueueDeploymentAsync(environment.Id, shape: shape);
        await World.DeployAsync(deploymentId);
        Assert.Equal(DeploymentStatus.Succeeded, (await World.DeploymentAsync(deploymentId)).Status);
        return (environment, deploymentId);
    }

    public static string HostOf(AppEnvironment environment) => $"{environment.ResourceName}.localhost";

    /// <summary>Waits until the environment's URL answers through the real edge with <paramref name="body"/>.</summary>
    public async Task ServesAsync(AppEnvironment environment, string body = "paddock demo v1\n", int seconds = 20)
    {
        string? last = null;
        await WorkerWorld.WaitUntilAsync(async () =>
        {
            try
            {
                last = await World.GetThroughEdgeAsync(HostOf(environment));
                return last == body;
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
                return false;
            }
        }, $"{HostOf(environment)} answers '{body.Trim()}' through the edge (last: {last})", seconds);
    }

    public async Task<ContainerListResponse> SingleContainerAsync(Guid environmentId) =>
        Assert.Single(await World.ContainersAsync(environmentId));

    public Task KillAsync(string containerId) =>
        World.Engine.Containers.KillContainerAsync(containerId, new ContainerKillParameters { Signal = "SIGKILL" });

    public async Task<List<EnvironmentEvent>> EventsAsync(Guid environmentId, string phase) =>
        (await World.EventsAsync(environmentId)).Where(e => e.Phase == phase).ToList();

    public Task WaitForEventAsync(Guid environmentId, string phase, int count = 1, int seconds = 30) =>
        WorkerWorld.WaitUntilAsync(async () => (await EventsAsync(environmentId, phase)).Count >= count,
            $"{count} '{phase}' event(s) for {environmentId}", seconds);

    /// <summary>Repairs that started something: after a kill from outside ("repaired") or a crash ("restarted").</summary>
    public async Task<List<EnvironmentEvent>> RepairsAsync(Guid environmentId) =>
        (await World.EventsAsync(environmentId))
            .Where(e => e.Phase is EnvironmentReconciler.RepairedPhase or EnvironmentReconciler.RestartedPhase).ToList();

    public Task WaitForRepairsAsync(Guid environmentId, int count = 1, int seconds = 30) =>
        WorkerWorld.WaitUntilAsync(async () => (await RepairsAsync(environmentId)).Count >= count,
            $"{count} repair(s) of {environmentId}", seconds);

    public async Task<int> RunningCountAsync(Guid environmentId) =>
        (await World.ContainersAsync(environmentId)).Count(c => c.State == "running");
}

/// <summary>A started reconciler host; <see cref="Engine"/> switches its view of the engine off and on.</summary>
public sealed class ReconcilerProcess(IHost host, SwitchableBackend engine) : IAsyncDisposable
{
    public SwitchableBackend Engine { get; } = engine;
    public ReconcilerService Service => host.Services.GetRequiredService<ReconcilerService>();
    public IServiceProvider Services => host.Services;

    public Task WaitUntilLeaderAsync(int seconds = 10) =>
        WorkerWorld.WaitUntilAsync(() => Task.FromResult(Service.IsLeader), "this reconciler leads", seconds);

    /// <summary>Waits for a full resync that started after this call.</summary>
    public async Task ResyncAsync(int seconds = 20)
    {
        var started = Service.ResyncsStarted;
        Service.RequestResync();
        await WorkerWorld.WaitUntilAsync(() => Task.FromResult(Service.ResyncsFinished > started), "a full resync ran", seconds);
    }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await host.StopAsync();
        host.Dispose();
    }
}
