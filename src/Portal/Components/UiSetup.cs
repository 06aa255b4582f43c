using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor.Services;

namespace Paddock.Portal.Components;

public static class UiSetup
{
    public static IHostApplicationBuilder AddPaddockUi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddScoped<AuthenticationStateProvider, CircuitAuthenticationStateProvider>();
        builder.Services.AddScoped<Shared.CircuitServices>();
        return builder;
    }

    public static WebApplication MapPaddockUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
