namespace Paddock.Portal.Features;

/// <summary>Registers every feature's services and maps every feature's API group, explicitly.</summary>
public static class FeatureSetup
{
    public static IHostApplicationBuilder AddPaddockFeatures(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<Access.AccessQueries>();
        return builder;
    }

    public static IEndpointRouteBuilder MapPaddockApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization();
        return app;
    }
}
