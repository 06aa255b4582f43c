namespace Paddock.Portal.Features.Webhooks;

public static class WebhooksSetup
{
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<WebhookService>();
        builder.Services.AddScoped<WebhookReceiver>();
        builder.Services.AddSingleton<WebhookRateLimiter>();
        return builder;
    }

    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder api) => api.MapWebhookEndpoints();
}
