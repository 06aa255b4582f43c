using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Paddock.Persistence;
using Paddock.Jobs;
using Paddock.Runtime.Backends;
using Paddock.Runtime.Resources;
using Paddock.Workers.Deployments;
using Paddock.Workers.Environments;
using Paddock.Workers.Resources;
using Paddock.Workers.Rollout;
using Paddock.Workers.Sweeping;

namespace Paddock.Workers;

public static class WorkerSetup
{
    /// <summary>The deploy and teardown jobs with what they need (backends, locks, the rollout with its traffic routers). Expects
    /// <c>AddPaddockPersistence</c> first.</summary>
    public static IHostApplicationBuilder AddEnvironmentJobs(this IHostApplicationBuilder builder)
    {
        var connectionString = PaddockConnectionString.Of(builder.Configuration);
        builder.Services.AddOptions<EdgeSettings>().Bind(builder.Configuration.GetSection(EdgeSettings.Section));
        builder.Services.AddOptions<DeploySettings>().Bind(builder.Configuration.GetSection(DeploySettings.Section));
        builder.Services.AddPaddockBackends();
        builder.Services.AddRegisteredClusters(builder.Configuration);
        builder.Services.AddSingleton(new EnvironmentLocks(connectionString));
        builder.Services.AddResourceProvisioners(builder.Configuration);
        builder.Services.AddScoped<ResourceLifecycle>();
        builder.Services.AddScoped<WorkloadSpecs>();
        builder.Services.AddScoped<EdgeSwitch>();
        builder.Services.AddScoped<TrafficRouters>();
        builder.Services.AddScoped<Retirement>();
        builder.Services.AddSingleton<RetirementRunner>();
        builder.Services.AddScoped<EnvironmentRollout>();
        builder.Services.AddScoped<DeploymentTransitions>();
        builder.Services.AddScoped<DeployJob>();
        builder.Services.AddScoped<TearDownJob>();
        builder.Services.AddScoped<IEnvironmentJobs, EnvironmentJobs>();
        return builder;
    }

    /// <summary>The relay that lets the app's containers reach resource servers on the host's loopback (classes with a
    /// <c>containerHost</c>, as <c>./run.sh</c> registers its own): see <see cref="ContainerHostRelay"/>.</summary>
    public static IHostApplicationBuilder AddContainerHostRelay(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<ContainerHostRelay>();
        return builder;
    }

    /// <summary>The Hangfire server (queues deploy and default) and the sweeper that re-enqueues lost jobs.</summary>
    public static IHostApplicationBuilder AddJobServer(this IHostApplicationBuilder builder)
    {
        var connectionString = PaddockConnectionString.Of(builder.Configuration);
        builder.Services.AddPaddockJobStorage(connectionString);
        builder.Services.AddHangfireServer(ConfigureJobServer);
        builder.Services.AddSingleton<JobSweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<JobSweeper>());
        return builder;
    }

    /// <summary>The worker process's Hangfire server settings (also used by bench/hangfire-pickup.sh).</summary>
    public static void ConfigureJobServer(BackgroundJobServerOptions options)
    {
        options.ServerName = $"paddock-worker-{System.Environment.MachineName}-{System.Environment.ProcessId}";
        options.WorkerCount = Math.Max(4, System.Environment.ProcessorCount * 2);
        options.Queues = JobStorageSetup.Queues;
    }
}
