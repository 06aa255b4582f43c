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
        builder.Services.AddScoped<ResourceOutputReveals>();
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
        api.MapPost("/apps/{app}/environments/{env}/resources/{name}/outputs/{output}/reveal", RevealAsync).WithTags("Resources")
            .WithSummary("The value of one of the resource's outputs (a secret one decrypted), answered with Cache-Control: no-store. " +
                "Member role; every reveal is audited without the value.");
        return api;
    }

    private static async Task<Results<Ok<RevealedOutputView>, ProblemHttpResult>> RevealAsync(
        string app, string env, string name, string output, HttpContext http, ResourceOutputReveals reveals, CancellationToken ct)
    {
        var outcome = await reveals.RevealAsync(http.Caller(), app, env, name, output, ct);
        // A secret in an answer: no cache on the way may keep it.
        http.Response.Headers.CacheControl = "no-store";
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<Ok<IReadOnlyList<EnvironmentResourceView>>, ProblemHttpResult>> ListAsync(
        string app, string env, HttpContext http, EnvironmentResources resources, CancellationToken ct)
    {
        var outcome = await resources.ListAsync(http.Caller(), app, env, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }
}
