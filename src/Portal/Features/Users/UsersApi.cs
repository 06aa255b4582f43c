using Microsoft.AspNetCore.Http.HttpResults;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Users;

/// <summary><c>/api/v1/users</c>: account management for platform admins.</summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUserEndpoints(this RouteGroupBuilder usersGroup)
    {
        usersGroup.MapGet("/", ListAsync).WithSummary("Every user (platform admins).");
        usersGroup.MapPost("/", CreateAsync).WithSummary("Creates a user with an initial password (platform admins).");
        usersGroup.MapGet("/{id:guid}", GetAsync).WithSummary("One user (platform admins).");
        usersGroup.MapPatch("/{id:guid}", UpdateAsync).WithSummary("Changes a user's name, admin flag or disabled state (platform admins).");
        return usersGroup;
    }

    private static async Task<Results<Ok<IReadOnlyList<UserView>>, ProblemHttpResult>> ListAsync(
        HttpContext http, UserAdminService users, CancellationToken ct)
    {
        var outcome = await users.ListAsync(http.Caller(), ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<Created<CreatedUserView>, ProblemHttpResult>> CreateAsync(
        CreateUserRequest request, HttpContext http, UserAdminService users, CancellationToken ct)
    {
        var outcome = await users.CreateAsync(http.Caller(), request, ct);
        return outcome.IsOk ? TypedResults.Created($"/api/v1/users/{outcome.Value!.User.Id}", outcome.Value) : outcome.ToProblem();
    }

    private static async Task<Results<Ok<UserDetailView>, ProblemHttpResult>> GetAsync(
        Guid id, HttpContext http, UserAdminService users, CancellationToken ct)
    {
        var outcome = await users.GetAsync(http.Caller(), id, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<Ok<UserDetailView>, ProblemHttpResult>> UpdateAsync(
        Guid id, UpdateUserRequest request, HttpContext http, UserAdminService users, CancellationToken ct)
    {
        var outcome = await users.UpdateAsync(http.Caller(), id, request, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }
}
