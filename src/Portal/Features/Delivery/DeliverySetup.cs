namespace Paddock.Portal.Features.Delivery;

public static class DeliverySetup
{
    public static IHostApplicationBuilder AddDelivery(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<DeliveryData>();
        builder.Services.AddScoped<DeliveryService>();
        return builder;
    }

    public static RouteGroupBuilder MapDeliveryApi(this RouteGroupBuilder api) => api.MapDeliveryEndpoints();
}
