using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Workloads;

/// <summary>Reads a Score file sent as the raw request body (YAML or JSON). The framework's JSON binding does not
/// apply (the file is not Paddock's own shape), so the body's rules are checked here: a media type Paddock reads,
/// at most <see cref="MaxBytes"/>, UTF-8 and no NUL character.</summary>
public static class WorkloadBody
{
    public const int MaxBytes = 1024 * 1024;

    public static readonly string[] MediaTypes = ["application/yaml", "application/json", "application/x-yaml", "text/yaml"];

    /// <summary>The text (empty when no body was sent), or the problem to answer.</summary>
    public static async Task<(string? Text, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        try
        {
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > MaxBytes) return (null, TooLarge());
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
        if (buffer.Length == 0) return ("", null);

        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (mediaType is null || !MediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
            return (null, Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported request",
                "Send the Score file as application/yaml or application/json."));
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            return (null, Failure.Invalid("body", "The workload is not valid UTF-8 text.").ToProblem());
        }
        if (text.Contains('\0')) return (null, Failure.Invalid("body", "Must not contain the NUL character (U+0000).").ToProblem());
        return (text, null);
    }

    private static ProblemHttpResult TooLarge() =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"A workload is at most {MaxBytes / 1024 / 1024} MiB.");

    private static ProblemHttpResult Problem(int status, string title, string error) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["body"] = [error] })
        {
            Status = status,
            Title = title,
            Detail = error,
        });
}
