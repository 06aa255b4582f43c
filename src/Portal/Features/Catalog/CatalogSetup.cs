namespace Paddock.Portal.Features.Catalog;

public static class CatalogSetup
{
    public static IHostApplicationBuilder AddCatalog(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(CatalogSettings.From(builder.Configuration));
        builder.Services.AddSingleton<BuiltInCatalog>();
        builder.Services.AddScoped<CatalogService>();
        return builder;
    }

    public static RouteGroupBuilder MapCatalogApi(this RouteGroupBuilder api) => CatalogApi.Map(api);
}
