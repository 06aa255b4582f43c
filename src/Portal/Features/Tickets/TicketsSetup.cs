namespace Paddock.Portal.Features.Tickets;

public static class TicketsSetup
{
    public static IHostApplicationBuilder AddTickets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<TicketRegistry>();
        builder.Services.AddScoped<TicketService>();
        return builder;
    }

    public static RouteGroupBuilder MapTicketsApi(this RouteGroupBuilder api)
    {
        api.MapGroup("/tickets").WithTags("Tickets").MapTicketEndpoints();
        return api;
    }
}
