using Paddock.Persistence;
using Paddock.Jobs;

namespace Paddock.Portal.Features.Deployments;

public static class DeploymentsSetup
{
    /// <summary>The portal only enqueues (the workers run the jobs), so it registers the job storage without a server.</summary>
    public static IHostApplicationBuilder AddDeployments(this IHostApplicationBuilder builder)
    {
        var connectionString = PaddockConnectionString.Of(builder.Configuration);
        builder.Services.AddPaddockJobStorage(connectionString);

        builder.Services.AddScoped<DeploymentQueue>();
        builder.Services.AddScoped<DeploymentService>();
        return builder;
    }

    public static RouteGroupBuilder MapDeploymentsApi(this RouteGroupBuilder api) => DeploymentsApi.Map(api);
}
