using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Paddock.Backends.Docker;
using Paddock.Backends.Kubernetes;

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
        services.AddSingleton(sp => new BackendRegistry(sp.GetRequiredService<IConfiguration>(), Kinds, sp));
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
