using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace Paddock.Portal.Api;

/// <summary>Requests the framework could not bind (malformed JSON, a value of the wrong type, an unknown field,
/// a query parameter that is not a number) answer like every other validation failure: a 400 problem whose
/// <c>errors</c> are keyed by the JSON path or parameter name. Needs <c>RouteHandlerOptions.ThrowOnBadRequest</c>,
/// which turns those failures into a <see cref="BadHttpRequestException"/> that reaches this handler.</summary>
public sealed partial class BadRequestProblems : IExceptionHandler
{
    [GeneratedRegex("parameter \"[^\"]*? (?<name>[^\" ]+)\"")]
    private static partial Regex ParameterName();

    [GeneratedRegex("could not be converted to (?<type>[^.\\s]+(\\.[^.\\s]+)*)")]
    private static partial Regex TargetType();

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException bad || context.Response.HasStarted) return false;
        var (field, error) = bad.InnerException is JsonException json ? Describe(json) : Describe(bad);
        var failure = Failure.Invalid(field, error);
        if (bad.StatusCode == StatusCodes.Status400BadRequest)
        {
            await failure.ToProblem().ExecuteAsync(context);
            return true;
        }
        // 413 (body too large), 415 (not JSON) and the like keep their status, with the same field error.
        await TypedResults.Problem(new HttpValidationProblemDetails(failure.Errors!)
        {
            Status = bad.StatusCode,
            Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Payload too large" : "Unsupported request",
            Detail = error,
        }).ExecuteAsync(context);
        return true;
    }

    /// <summary>The field of a JSON body that failed, as a path like <c>env.FOO</c> or <c>command[0]</c>.</summary>
    public static (string Field, string Error) Describe(JsonException json)
    {
        var field = FieldOf(json.Path);
        if (json.InnerException is JsonException || json.Path is null)
            return ("body", $"Not valid JSON (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}).");
        if (json.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal)) return (field, "Unknown field.");
        return (field, TargetType().Match(json.Message) is { Success: true } match ? $"Expected {Expected(match.Groups["type"].Value)}." : "Invalid value.");
    }

    private static (string Field, string Error) Describe(BadHttpRequestException bad)
    {
        var name = ParameterName().Match(bad.Message) is { Success: true } match ? match.Groups["name"].Value : "body";
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge) return ("body", "The request body is too large.");
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType) return ("body", "Send the body as application/json.");
        if (bad.Message.StartsWith("Required parameter", StringComparison.Ordinal))
            return (bad.Message.Contains("from body", StringComparison.Ordinal) ? "body" : name, "Required.");
        return (name, "Invalid value.");
    }

    /// <summary><c>$.env.FOO</c> → <c>env.FOO</c>, <c>$['a b']</c> → <c>a b</c>, <c>$</c> → <c>body</c>.</summary>
    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return "body";
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        field = Regex.Replace(field, @"\['([^']*)'\]", ".$1").TrimStart('.');
        return field.Length == 0 ? "body" : field;
    }

    private static string Expected(string type) => type switch
    {
        _ when type.Contains("Int32", StringComparison.Ordinal) || type.Contains("Int64", StringComparison.Ordinal) => "a whole number",
        _ when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ when type.Contains("String[]", StringComparison.Ordinal) || type.Contains("List", StringComparison.Ordinal) => "an array",
        _ when type.Contains("Dictionary", StringComparison.Ordinal) => "an object",
        _ when type.Contains("String", StringComparison.Ordinal) => "a string",
        _ when type.Contains("Guid", StringComparison.Ordinal) => "a UUID",
        _ when type.Contains("DateTime", StringComparison.Ordinal) => "a date-time",
        _ => "a value of another type",
    };
}
