namespace Paddock.Portal.Features.Teams;

public static class TeamsSetup
{
    public static IHostApplicationBuilder AddTeams(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<TeamService>();
        builder.Services.AddScoped<RegistryPolicy>();
        builder.Services.AddScoped<TeamMemberService>();
        builder.Services.AddScoped<TeamTokenService>();
        return builder;
    }

    public static RouteGroupBuilder MapTeamsApi(this RouteGroupBuilder api)
    {
        api.MapGroup("/teams").WithTags("Teams")
            .MapTeamEndpoints()
            .MapTeamMemberEndpoints()
            .MapTeamTokenEndpoints();
        return api;
    }
}
