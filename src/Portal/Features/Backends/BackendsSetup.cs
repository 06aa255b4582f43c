using Paddock.Runtime.Backends;

namespace Paddock.Portal.Features.Backends;

public static class BackendsSetup
{
    public static IHostApplicationBuilder AddBackends(this IHostApplicationBuilder builder)
    {
        builder.Services.AddPaddockBackends();
        builder.Services.AddRegisteredClusters(builder.Configuration);
        builder.Services.AddSingleton<BackendStatus>();
        return builder;
    }

    public static RouteGroupBuilder MapBackendsApi(this RouteGroupBuilder api)
    {
        api.MapGroup("/backends").WithTags("Backends")
            .MapGet("/", BackendsApi.ListAsync)
            .WithSummary("The configured backends and registered clusters with their kind, whether they answer, their version, and why not.");
        return api;
    }
}
