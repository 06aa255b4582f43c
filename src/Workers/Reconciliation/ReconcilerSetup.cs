using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Paddock.Persistence;
using Paddock.Persistence.Locks;

namespace Paddock.Workers.Reconciliation;

public static class ReconcilerSetup
{
    /// <summary>The reconciler (leadership, engine watch, periodic resync, repairs). Expects <c>AddEnvironmentJobs</c>
    /// first: it repairs with the same backends, specs, edge switch and locks as a deploy.</summary>
    public static IHostApplicationBuilder AddReconciler(this IHostApplicationBuilder builder)
    {
        var connectionString = PaddockConnectionString.Of(builder.Configuration);
        builder.Services.AddOptions<ReconcilerSettings>().Bind(builder.Configuration.GetSection(ReconcilerSettings.Section));
        builder.Services.AddSingleton(new ReconcileLocks(connectionString));
        builder.Services.AddSingleton(_ => new SessionLeadership(connectionString, ReconcilerService.LeadershipKey));
        builder.Services.AddSingleton<FullResync>();
        builder.Services.AddSingleton<InstanceEndings>();
        builder.Services.AddScoped<RepairRecorder>();
        builder.Services.AddScoped<ResourceDrift>();
        builder.Services.AddSingleton<OutageAnnouncer>();
        builder.Services.AddScoped<EnvironmentReconciler>();
        builder.Services.AddSingleton<ReconcilerService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReconcilerService>());
        return builder;
    }
}
