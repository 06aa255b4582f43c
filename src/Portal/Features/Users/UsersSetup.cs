namespace Paddock.Portal.Features.Users;

public static class UsersSetup
{
    public static IHostApplicationBuilder AddUsers(this IHostApplicationBuilder builder)
    {
        return builder;
    }

    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        return api;
    }
}
