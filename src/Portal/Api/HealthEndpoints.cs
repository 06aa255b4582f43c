using Microsoft.EntityFrameworkCore;
using Paddock.Persistence;
using Paddock.Jobs;

namespace Paddock.Portal.Api;

public static class HealthEndpoints
{
    /// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: Postgres answers and every migration is applied;
    /// it also says whether a worker is online (<c>workers</c>), without failing on it: the portal serves without one.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" })).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/readyz", ReadyAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ReadyAsync(PaddockDbContext db, TimeProvider clock, CancellationToken ct)
    {
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            if (pending.Count > 0)
                return TypedResults.Json(new { status = "not ready", reason = $"{pending.Count} migration(s) not applied: run the migrator." }, statusCode: 503);
            return TypedResults.Ok(new { status = "ready", workers = await WorkersAsync(db, clock, ct) });
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return TypedResults.Json(new { status = "not ready", reason = $"Postgres does not answer: {e.Message}" }, statusCode: 503);
        }
    }

    private static async Task<object> WorkersAsync(PaddockDbContext db, TimeProvider clock, CancellationToken ct)
    {
        try
        {
            var workers = await WorkerStatus.QueryAsync(db, clock, ct);
            return new { online = workers.Online, status = workers.Summary, lastHeartbeat = workers.LastHeartbeat };
        }
        catch (Npgsql.NpgsqlException e)
        {
            return new { online = 0, status = $"unknown: {e.Message}", lastHeartbeat = (DateTime?)null };
        }
    }
}
