using System.Text;
using System.Text.Json;

namespace Paddock.Portal.Api;

/// <summary>One input rule at the edge: a NUL character (U+0000) anywhere in a request's path, query string,
/// form fields or JSON body is refused with a 400 that names the field. Postgres cannot store NUL in text or
/// jsonb, so without this rule such input reaches the database and becomes a 500. Runs after authorization,
/// so an unauthenticated caller still hears 401 first.</summary>
public sealed class NulCharacterGuard(RequestDelegate next)
{
    private const string Error = "Must not contain the NUL character (U+0000).";

    public async Task InvokeAsync(HttpContext context)
    {
        var field = FieldInPathOrQuery(context.Request)
            ?? await FieldInFormAsync(context.Request)
            ?? await FieldInJsonBodyAsync(context.Request);
        if (field is null)
        {
            await next(context);
            return;
        }
        await Failure.Invalid(field, Error).ToProblem().ExecuteAsync(context);
    }

    private static string? FieldInPathOrQuery(HttpRequest request)
    {
        if (request.Path.Value?.Contains('\0') == true) return "path";
        foreach (var (key, values) in request.Query)
            if (key.Contains('\0') || values.Any(v => v?.Contains('\0') == true)) return Printable(key);
        return null;
    }

    private static async Task<string?> FieldInFormAsync(HttpRequest request)
    {
        if (!request.HasFormContentType) return null;
        if (request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            // Read by hand: the framework's form reader refuses an encoded NUL without saying in which field.
            var body = Encoding.UTF8.GetString(await BufferedBodyAsync(request));
            foreach (var pair in body.Split('&'))
            {
                var parts = pair.Split('=', 2);
                var key = Decode(parts[0]);
                if (key.Contains('\0') || (parts.Length == 2 && Decode(parts[1]).Contains('\0'))) return Printable(key);
            }
            return null;
        }
        IFormCollection form;
        try { form = await request.ReadFormAsync(request.HttpContext.RequestAborted); }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException) { return null; } // the endpoint reports malformed forms
        foreach (var (key, values) in form)
            if (key.Contains('\0') || values.Any(v => v?.Contains('\0') == true)) return Printable(key);
        return null;
    }

    private static string Decode(string formEncoded)
    {
        try { return Uri.UnescapeDataString(formEncoded.Replace('+', ' ')); }
        catch (UriFormatException) { return formEncoded; }
    }

    private static async Task<byte[]> BufferedBodyAsync(HttpRequest request)
    {
        request.EnableBuffering();
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            return buffer.ToArray();
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    private static async Task<string?> FieldInJsonBodyAsync(HttpRequest request)
    {
        if (!IsJson(request.ContentType)) return null;
        var body = await BufferedBodyAsync(request);
        // A NUL can only appear escaped (\u0000): JSON forbids raw control characters in strings.
        return body.AsSpan().IndexOf("\\u0000"u8) < 0 ? null : FindNul(body);
    }

    /// <summary>The JSON path (<c>env.FOO</c>, <c>command[1]</c>, <c>body</c> for the document itself) of the
    /// first string or property name holding a NUL; null for none or for malformed JSON, which the endpoint reports.</summary>
    public static string? FindNul(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var path = new List<Segment>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        Advance(path);
                        path.Add(new Segment(reader.TokenType == JsonTokenType.StartArray, null, -1));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        path[^1] = path[^1] with { Property = name };
                        if (name.Contains('\0')) return Format(path);
                        break;
                    default:
                        Advance(path);
                        if (reader.TokenType == JsonTokenType.String && reader.GetString()!.Contains('\0')) return Format(path);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }
        return null;
    }

    private static void Advance(List<Segment> path)
    {
        if (path.Count > 0 && path[^1].IsArray) path[^1] = path[^1] with { Index = path[^1].Index + 1 };
    }

    private static string Format(List<Segment> path)
    {
        var text = new StringBuilder();
        foreach (var segment in path)
        {
            if (segment.IsArray) text.Append('[').Append(segment.Index).Append(']');
            else if (segment.Property is not null) text.Append(text.Length == 0 ? "" : ".").Append(Printable(segment.Property));
        }
        return text.Length == 0 ? "body" : text.ToString();
    }

    private static string Printable(string name) => name.Replace("\0", "\\u0000", StringComparison.Ordinal);

    private static bool IsJson(string? contentType) =>
        contentType is not null
        && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.Split(';')[0].Trim().EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private sealed record Segment(bool IsArray, string? Property, int Index);
}
