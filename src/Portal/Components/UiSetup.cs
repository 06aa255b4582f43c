using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor.Services;

namespace Paddock.Portal.Components;

public static class UiSetup
{
    public static IHostApplicationBuilder AddPaddockUi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        // Toasts appear bottom left, away from the pages' primary buttons (top right).
        builder.Services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomLeft;
            o.SnackbarConfiguration.PreventDuplicates = true;
        });
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
