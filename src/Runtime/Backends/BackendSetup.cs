using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Paddock.Backends.Docker;
using Paddock.Backends.Kubernetes;
using Paddock.Persistence;
using Paddock.Runtime.Clusters;

namespace Paddock.Runtime.Backends;

public static class BackendSetup
{
    /// <summary>The backend kinds this build knows. Adding a kind = its folder + one line here.</summary>
    private static readonly Dictionary<string, BackendFactory> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["docker"] = CreateDocker,
        ["kubernetes"] = CreateKubernetes,
    };

    public static IServiceCollection AddPaddockBackends(this IServiceCollection services)
    {
        services.AddSingleton(sp => new BackendRegistry(sp.GetRequiredService<IConfiguration>(), Kinds, sp,
            sp.GetService<RegisteredClusters>(), sp.GetService<TimeProvider>(), sp.GetService<ILogger<BackendRegistry>>()));
        return services;
    }

    /// <summary>The clusters platform admins register at run time, as <c>kubernetes</c> backends of the registry, kept
    /// current by a <see cref="ClusterRefresher"/> (one LISTEN connection per process; <c>Clusters:RefreshSeconds</c>,
    /// default 30, is the fallback reload period). Needs persistence (database, secrets).</summary>
    public static IServiceCollection AddRegisteredClusters(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = PaddockConnectionString.Of(configuration);
        var fallback = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Clusters:RefreshSeconds", 30.0)));
        services.AddSingleton<RegisteredClusters>();
        services.AddSingleton(sp => new ClusterRefresher(connectionString, sp.GetRequiredService<BackendRegistry>(), fallback,
            sp.GetRequiredService<ILogger<ClusterRefresher>>()));
        services.AddHostedService(sp => sp.GetRequiredService<ClusterRefresher>());
        return services;
    }

    private static DockerBackend CreateDocker(string name, IConfigurationSection settings, IServiceProvider services)
    {
        var options = new DockerBackendOptions { Name = name };
        settings.Bind(options);
        options.Name = name;
        if (settings["Endpoint"] is null && System.Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } dockerHost)
            options.Endpoint = new Uri(dockerHost);
        return new DockerBackend(options, services.GetRequiredService<TimeProvider>(), services.GetService<ILogger<DockerBackend>>());
    }

    /// <summary><c>Backends:&lt;name&gt;:Kubeconfig</c> (the document), <c>KubeconfigFile</c> (a path to it), or
    /// <c>InCluster=true</c>; plus the options of <see cref="KubernetesBackendOptions"/>.</summary>
    private static KubernetesBackend CreateKubernetes(string name, IConfigurationSection settings, IServiceProvider services)
    {
        var options = new KubernetesBackendOptions();
        settings.Bind(options);
        options.Name = name;
        if (options.Kubeconfig is null && settings["KubeconfigFile"] is { Length: > 0 } file) options.Kubeconfig = File.ReadAllText(file);
        return new KubernetesBackend(options, services.GetRequiredService<TimeProvider>());
    }
}
