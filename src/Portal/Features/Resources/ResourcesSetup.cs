using Microsoft.AspNetCore.Http.HttpResults;
using Paddock.Portal.Api;
using Paddock.Runtime.Resources;

namespace Paddock.Portal.Features.Resources;

public static class ResourcesSetup
{
    public static IHostApplicationBuilder AddResources(this IHostApplicationBuilder builder)
    {
        builder.Services.AddResourceProvisioners(builder.Configuration);
        builder.Services.AddScoped<ResourceClassService>();
        builder.Services.AddScoped<EnvironmentResources>();
        builder.Services.AddScoped<ResourceBackups>();
        builder.Services.AddScoped<ResourceTypes>();
        builder.Services.AddScoped<ResourceQuotas>();
        builder.Services.AddHostedService<ResourceClassSeeder>();
        return builder;
    }

    public static RouteGroupBuilder MapResourcesApi(this RouteGroupBuilder api)
    {
        api.MapGroup("/resource-classes").WithTags("Resources").MapResourceClassEndpoints();
        api.MapGet("/apps/{app}/environments/{env}/resources", ListAsync).WithTags("Resources")
            .WithSummary("The environment's resources in provisioning order: type, class, id, status, reason and outputs (secret ones masked).");
        api.MapGroup("/apps/{app}/environments/{env}/resources/{name}").WithTags("Resources").MapResourceBackupEndpoints();
        return api;
    }

    private static async Task<Results<Ok<IReadOnlyList<EnvironmentResourceView>>, ProblemHttpResult>> ListAsync(
        string app, string env, HttpContext http, EnvironmentResources resources, CancellationToken ct)
    {
        var outcome = await resources.ListAsync(http.Caller(), app, env, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }
}
