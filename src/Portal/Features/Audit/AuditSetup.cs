namespace Paddock.Portal.Features.Audit;

public static class AuditSetup
{
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        return builder;
    }

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        return api;
    }
}
