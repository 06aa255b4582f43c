namespace Paddock.Portal.Features.Applications;

public static class ApplicationsSetup
{
    public static IHostApplicationBuilder AddApplications(this IHostApplicationBuilder builder)
    {
        return builder;
    }

    public static RouteGroupBuilder MapApplicationsApi(this RouteGroupBuilder api)
    {
        return api;
    }
}
