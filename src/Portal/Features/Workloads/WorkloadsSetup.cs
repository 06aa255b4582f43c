namespace Paddock.Portal.Features.Workloads;

public static class WorkloadsSetup
{
    public static IHostApplicationBuilder AddWorkloads(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(PlanSettings.From(builder.Configuration));
        builder.Services.AddScoped<WorkloadRevisions>();
        builder.Services.AddScoped<PlanService>();
        builder.Services.AddScoped<PlannedImages>();
        builder.Services.AddScoped<RevisionHistory>();
        builder.Services.AddScoped<OverrideService>();
        return builder;
    }

    public static RouteGroupBuilder MapWorkloadsApi(this RouteGroupBuilder api) => WorkloadsApi.Map(api);
}
