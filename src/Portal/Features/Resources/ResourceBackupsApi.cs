using Microsoft.AspNetCore.Http.HttpResults;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Resources;

/// <summary><c>/api/v1/apps/{app}/environments/{env}/resources/{name}/…</c>: backups, restores and copies of a resource's data.</summary>
public static class ResourceBackupsApi
{
    public static RouteGroupBuilder MapResourceBackupEndpoints(this RouteGroupBuilder resource)
    {
        resource.MapGet("/backups", ListAsync).WithSummary("The resource's backups, newest first: name, time taken, size in bytes.");
        resource.MapPost("/backup", BackupAsync)
            .WithSummary("Backs the resource's data up now (postgres: pg_dump into the data directory); 201 with the backup. Deploy scope or more; audited.");
        resource.MapPost("/restore", RestoreAsync)
            .WithSummary("Replaces the resource's data with one of its backups ({ \"backup\": name }). Member role; audited.");
        resource.MapPost("/copy", CopyAsync)
            .WithSummary("Copies the resource's data into the resource of the same name in another environment of the app ({ \"environment\": name }), " +
                "replacing the target's data; the backup it goes through is kept with the target's backups. Member role; audited.");
        return resource;
    }

    private static async Task<Results<Ok<IReadOnlyList<ResourceBackupView>>, ProblemHttpResult>> ListAsync(
        string app, string env, string name, HttpContext http, ResourceBackups backups, CancellationToken ct)
    {
        var outcome = await backups.ListAsync(http.Caller(), app, env, name, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<Created<ResourceBackupView>, ProblemHttpResult>> BackupAsync(
        string app, string env, string name, HttpContext http, ResourceBackups backups, CancellationToken ct)
    {
        var outcome = await backups.BackupAsync(http.Caller(), app, env, name, ct);
        return outcome.IsOk ? TypedResults.Created($"/api/v1/apps/{app}/environments/{env}/resources/{name}/backups", outcome.Value) : outcome.ToProblem();
    }

    private static async Task<Results<Ok<ResourceBackupView>, ProblemHttpResult>> RestoreAsync(
        string app, string env, string name, RestoreResourceRequest request, HttpContext http, ResourceBackups backups, CancellationToken ct)
    {
        var outcome = await backups.RestoreAsync(http.Caller(), app, env, name, request, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<Ok<ResourceCopyView>, ProblemHttpResult>> CopyAsync(
        string app, string env, string name, CopyResourceRequest request, HttpContext http, ResourceBackups backups, CancellationToken ct)
    {
        var outcome = await backups.CopyAsync(http.Caller(), app, env, name, request, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }
}
