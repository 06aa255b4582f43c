namespace Paddock.Portal.Features.Environments;

public static class EnvironmentsSetup
{
    public static IHostApplicationBuilder AddEnvironments(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<EnvironmentService>();
        return builder;
    }

    public static RouteGroupBuilder MapEnvironmentsApi(this RouteGroupBuilder api) => EnvironmentsApi.Map(api);
}
