using Microsoft.AspNetCore.Http.HttpResults;

namespace Paddock.Portal.Features.Backends;

public static class BackendsApi
{
    public static async Task<Ok<IReadOnlyList<BackendView>>> ListAsync(BackendStatus status, CancellationToken ct) =>
        TypedResults.Ok(await status.DescribeAllAsync(ct));
}
