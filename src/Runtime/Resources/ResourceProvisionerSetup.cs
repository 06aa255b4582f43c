using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Paddock.Domain.Resources;
using Paddock.Provisioners.External;
using Paddock.Provisioners.Network;
using Paddock.Provisioners.Postgres;
using Paddock.Provisioners.Redis;
using Paddock.Provisioners.Volume;

namespace Paddock.Runtime.Resources;

public static class ResourceProvisionerSetup
{
    /// <summary>Every provisioner Paddock ships, one registration each, the types admins serve with their own
    /// executables (<c>ExternalResourceTypes</c>, docs/external-provisioners.md), and the class reader they are called
    /// with.</summary>
    public static IServiceCollection AddResourceProvisioners(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PostgresProvisioner>();
        services.AddSingleton<IResourceProvisioner>(sp => sp.GetRequiredService<PostgresProvisioner>());
        services.AddSingleton<IResourceBackups>(sp => sp.GetRequiredService<PostgresProvisioner>());
        services.AddSingleton<IResourceProvisioner, RedisProvisioner>();
        services.AddSingleton<IEnvironmentVolumes, EnvironmentVolumes>();
        services.AddSingleton<IResourceProvisioner, VolumeProvisioner>();
        services.AddSingleton<IEnvironmentRoutes, EnvironmentRoutes>();
        services.AddSingleton<IWorkloadAddresses, WorkloadAddresses>();
        services.AddSingleton<IResourceProvisioner, DnsProvisioner>();
        services.AddSingleton<IResourceProvisioner, RouteProvisioner>();
        services.AddSingleton<IResourceProvisioner, ServicePortProvisioner>();
        foreach (var type in configuration.GetSection("ExternalResourceTypes").Get<string[]>() ?? [])
            services.AddSingleton<IResourceProvisioner>(new ExternalProvisioner(type));
        services.AddSingleton<ResourceProvisioners>();
        services.AddScoped<ResourceClassSettingsReader>();
        return services;
    }
}
