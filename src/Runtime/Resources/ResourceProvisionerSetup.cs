using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Paddock.Domain.Resources;
using Paddock.Provisioners.Postgres;

namespace Paddock.Runtime.Resources;

public static class ResourceProvisionerSetup
{
    /// <summary>Every provisioner Paddock ships, one registration each, and the class reader they are called with.</summary>
    public static IServiceCollection AddResourceProvisioners(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IResourceProvisioner, PostgresProvisioner>();
        services.AddSingleton<ResourceProvisioners>();
        services.AddScoped<ResourceClassSettingsReader>();
        return services;
    }
}
