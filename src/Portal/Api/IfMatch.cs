using Microsoft.AspNetCore.Http.HttpResults;

namespace Paddock.Portal.Api;

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
