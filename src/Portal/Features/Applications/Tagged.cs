using Microsoft.AspNetCore.Http.HttpResults;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Applications;

/// <summary>A view with the ETag of the row it came from, for optimistic concurrency (see <see cref="ETags"/>).</summary>
public sealed record Tagged<T>(T View, string ETag);

/// <summary>The If-Match header as the services want it: a row version, none, or malformed.</summary>
public static class IfMatch
{
    /// <summary>False when the header is present but not an ETag this API handed out.</summary>
    public static bool TryRead(HttpContext http, out uint? version)
    {
        var header = http.Request.Headers.IfMatch.ToString();
        // "*" only asks that the resource exists, which every handler checks anyway.
        if (header.Trim() == "*") header = "";
        return ETags.TryParse(header, out version);
    }

    public static ProblemHttpResult Malformed() =>
        Failure.Invalid("If-Match", "Send the ETag from a previous GET, e.g. \"123\".").ToProblem();
}
