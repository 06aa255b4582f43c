namespace Paddock.Portal.Features.Clusters;

public static class ClustersSetup
{
    /// <summary>Expects <c>AddBackends</c>: the registry and its cluster refresher come from there.</summary>
    public static IHostApplicationBuilder AddClusters(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<ClusterService>();
        return builder;
    }

    public static RouteGroupBuilder MapClustersApi(this RouteGroupBuilder api)
    {
        api.MapGroup("/clusters").WithTags("Clusters").MapClusterEndpoints();
        return api;
    }
}
