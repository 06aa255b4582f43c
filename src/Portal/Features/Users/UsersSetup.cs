namespace Paddock.Portal.Features.Users;

public static class UsersSetup
{
    public static IHostApplicationBuilder AddUsers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<MeService>();
        builder.Services.AddScoped<PersonalTokenService>();
        builder.Services.AddScoped<UserAdminService>();
        builder.Services.AddScoped<UserLookup>();
        return builder;
    }

    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        api.MapGroup("/me").WithTags("Me").MapMeEndpoints();
        api.MapGroup("/users").WithTags("Users").MapUserEndpoints();
        return api;
    }
}
