namespace Paddock.Portal.Features.Teams;

public static class TeamsSetup
{
    public static IHostApplicationBuilder AddTeams(this IHostApplicationBuilder builder)
    {
        return builder;
    }

    public static RouteGroupBuilder MapTeamsApi(this RouteGroupBuilder api)
    {
        return api;
    }
}
