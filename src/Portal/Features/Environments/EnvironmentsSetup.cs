namespace Paddock.Portal.Features.Environments;

public static class EnvironmentsSetup
{
    public static IHostApplicationBuilder AddEnvironments(this IHostApplicationBuilder builder)
    {
        return builder;
    }

    public static RouteGroupBuilder MapEnvironmentsApi(this RouteGroupBuilder api)
    {
        return api;
    }
}
