using Microsoft.EntityFrameworkCore;
using Paddock.Persistence;

namespace Paddock.Portal.Api;

public static class HealthEndpoints
{
    /// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: Postgres answers and every migration is applied.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" })).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/readyz", ReadyAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ReadyAsync(PaddockDbContext db, CancellationToken ct)
    {
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            if (pending.Count > 0)
                return TypedResults.Json(new { status = "not ready", reason = $"{pending.Count} migration(s) not applied: run the migrator." }, statusCode: 503);
            return TypedResults.Ok(new { status = "ready" });
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return TypedResults.Json(new { status = "not ready", reason = $"Postgres does not answer: {e.Message}" }, statusCode: 503);
        }
    }
}
