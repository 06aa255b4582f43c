namespace Paddock.Portal.Features.Applications;

public static class ApplicationsSetup
{
    public static IHostApplicationBuilder AddApplications(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<SecretStore>();
        builder.Services.AddScoped<RegistryCredentialStore>();
        builder.Services.AddScoped<ApplicationService>();
        return builder;
    }

    public static RouteGroupBuilder MapApplicationsApi(this RouteGroupBuilder api) => ApplicationsApi.Map(api);
}
