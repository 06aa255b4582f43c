using System.Text.Json.Nodes;

namespace Paddock.Provisioners.Network;

/// <summary>Reading the small params of the network types: strings and port numbers, and which params a type knows.</summary>
internal static class ParamReading
{
    /// <summary>Errors for params the type does not know, and for a class with settings (these types need none).</summary>
    public static void RefuseUnknown(JsonObject? parameters, IReadOnlyCollection<string> known, string type, Dictionary<string, string> errors)
    {
        foreach (var (name, _) in parameters ?? [])
            if (!known.Contains(name))
                errors[$"/{name}"] = $"A {type} resource takes only {string.Join(", ", known)}.";
    }

    public static IReadOnlyDictionary<string, string> NoClassSettings(Domain.Resources.ResourceClassSettings settings, string type)
    {
        var errors = new Dictionary<string, string>();
        foreach (var key in settings.Values.Keys) errors[$"values.{key}"] = $"A {type} class has no settings.";
        foreach (var key in settings.Secrets.Keys) errors[$"secrets.{key}"] = $"A {type} class has no settings.";
        return errors;
    }

    public static string? String(JsonObject? parameters, string name) =>
        parameters?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>A param given as a number or as text (a placeholder, a port name).</summary>
    public static string? Text(JsonObject? parameters, string name) => parameters?[name] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        // A number read from YAML may be held as a long, a double or a JSON element: its JSON text is the number.
        JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.Number => value.ToJsonString(),
        _ => null,
    };

    /// <summary>Text that still holds a placeholder is checked once it is resolved, when the resource is provisioned.</summary>
    public static bool HasPlaceholder(string text) => text.Contains("${", StringComparison.Ordinal);

    public static int? Port(string? text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535 ? port : null;
}
