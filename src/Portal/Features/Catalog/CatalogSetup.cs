namespace Paddock.Portal.Features.Catalog;

public static class CatalogSetup
{
    public static IHostApplicationBuilder AddCatalog(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(CatalogSettings.From(builder.Configuration));
        builder.Services.AddSingleton<BuiltInCatalog>();
        builder.Services.AddSingleton<CatalogEntries>();
        builder.Services.AddScoped<CatalogService>();
        builder.Services.AddSingleton<CatalogSourceReader>();
        builder.Services.AddScoped<CatalogSourceService>();
        return builder;
    }

    public static RouteGroupBuilder MapCatalogApi(this RouteGroupBuilder api) => CatalogSourcesApi.Map(CatalogApi.Map(api));
}
