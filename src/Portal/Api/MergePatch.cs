using System.Text.Json;

namespace Paddock.Portal.Api;

/// <summary>A field of a patch: absent (leave it), or set to a value, where null means "remove" or "reset".</summary>
public readonly record struct Optional<T>(bool IsSet, T Value)
{
    public static Optional<T> Absent => default;

    public static implicit operator Optional<T>(T value) => new(true, value);

    public T Or(T current) => IsSet ? Value : current;
}

/// <summary>Reads a JSON merge-patch document (RFC 7396) field by field, so "absent" and "null" stay apart.
/// Values of the wrong type and fields nobody asked for become field errors instead of exceptions.</summary>
public sealed class MergePatch
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, JsonElement> _fields;
    private readonly HashSet<string> _read = new(StringComparer.OrdinalIgnoreCase);
    private readonly FieldErrors _errors;
    private readonly string _prefix;

    private MergePatch(JsonElement document, FieldErrors errors, string prefix)
    {
        _fields = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in document.EnumerateObject()) _fields[property.Name] = property.Value;
        _errors = errors;
        _prefix = prefix;
    }

    /// <summary>Null (with an error recorded) when the document is not a JSON object.</summary>
    public static MergePatch? Of(JsonElement document, FieldErrors errors, string prefix = "")
    {
        if (document.ValueKind == JsonValueKind.Object) return new MergePatch(document, errors, prefix);
        errors.Add(prefix.Length == 0 ? "body" : prefix.TrimEnd('.'), "Expected a JSON object.");
        return null;
    }

    public Optional<T?> Get<T>(string field)
    {
        _read.Add(field);
        if (!_fields.TryGetValue(field, out var element)) return Optional<T?>.Absent;
        if (element.ValueKind == JsonValueKind.Null) return new Optional<T?>(true, default);
        try
        {
            return new Optional<T?>(true, element.Deserialize<T>(Json));
        }
        catch (JsonException)
        {
            _errors.Add(_prefix + field, $"Expected {Describe(typeof(T))}.");
            return Optional<T?>.Absent;
        }
    }

    /// <summary>A nested object merged field by field; null removes or resets it as a whole.</summary>
    public Optional<TPatch?> GetObject<TPatch>(string field, Func<MergePatch, TPatch> read) where TPatch : class
    {
        _read.Add(field);
        if (!_fields.TryGetValue(field, out var element)) return Optional<TPatch?>.Absent;
        if (element.ValueKind == JsonValueKind.Null) return new Optional<TPatch?>(true, null);
        if (Of(element, _errors, $"{_prefix}{field}.") is not { } nested) return Optional<TPatch?>.Absent;
        var patch = read(nested);
        nested.RejectUnknownFields();
        return patch;
    }

    /// <summary>Call after reading every known field: anything else is a typo the caller should hear about.</summary>
    public void RejectUnknownFields()
    {
        foreach (var name in _fields.Keys.Where(name => !_read.Contains(name)))
            _errors.Add(_prefix + name, "Unknown field.");
    }

    private static string Describe(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(int) => "a whole number",
        var t when t == typeof(string) => "a string",
        var t when t == typeof(string[]) => "an array of strings",
        var t when t.IsAssignableTo(typeof(IDictionary<string, string?>)) => "an object of string values",
        _ => "a value of another type",
    };
}
