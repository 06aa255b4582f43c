namespace Paddock.Portal.Features.Environments;

public static class EnvironmentsSetup
{
    public static IHostApplicationBuilder AddEnvironments(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<EnvironmentService>();
        builder.Services.AddScoped<EnvironmentCopySources>();
        builder.Services.AddScoped<EnvironmentLookup>();
        builder.Services.AddScoped<EnvironmentLogs>();
        builder.Services.AddSingleton<EnvironmentEventFeed>();
        return builder;
    }

    public static RouteGroupBuilder MapEnvironmentsApi(this RouteGroupBuilder api) => EnvironmentsApi.Map(api);

    /// <summary>The environment's events and logs, as JSON or Server-Sent Events.</summary>
    public static RouteGroupBuilder MapEnvironmentStreamsApi(this RouteGroupBuilder api) => EnvironmentStreamsApi.Map(api);
}
