using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Paddock.Domain.Applications;
using Paddock.Workloads.Source;

namespace Paddock.Portal.Features.Catalog;

/// <summary>Reads a catalog folder: one folder per entry, each with <c>entry.yaml</c> (id, name, version,
/// description, icon, images, parameters) and <c>score.yaml</c> (the workload template, <see cref="CatalogTemplate"/>).
/// An entry that does not read is left out and its problems are reported; the others still load.</summary>
public static partial class CatalogLoader
{
    public const string EntryFile = "entry.yaml";
    public const string WorkloadFile = "score.yaml";

    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex EntryId();

    public static CatalogLoadResult Load(string folder, IReadOnlyDictionary<string, string>? imageSubstitutions = null)
    {
        var entries = new List<CatalogEntry>();
        var problems = new List<string>();
        if (!Directory.Exists(folder)) return new CatalogLoadResult(entries, [$"The catalog folder '{folder}' does not exist."]);
        foreach (var directory in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
        {
            if (!File.Exists(Path.Combine(directory, EntryFile))) continue;
            var (entry, errors) = LoadEntry(directory, imageSubstitutions ?? new Dictionary<string, string>());
            if (entry is not null) entries.Add(entry);
            problems.AddRange(errors.Select(e => $"{Path.GetFileName(directory)}: {e}"));
        }
        foreach (var duplicate in entries.GroupBy(e => e.Id).Where(g => g.Count() > 1))
            problems.Add($"{duplicate.Key}: more than one entry has this id; only the first is kept.");
        return new CatalogLoadResult(entries.DistinctBy(e => e.Id).ToList(), problems);
    }

    /// <param name="imageSubstitutions">Images by <c>{entry}:{key}</c> replacing the entry's own.</param>
    public static (CatalogEntry? Entry, IReadOnlyList<string> Errors) LoadEntry(string directory, IReadOnlyDictionary<string, string> imageSubstitutions)
    {
        var root = Path.GetFullPath(directory) + Path.DirectorySeparatorChar;
        return Read(name =>
        {
            var full = Path.GetFullPath(Path.Combine(directory, name));
            return full.StartsWith(root, StringComparison.Ordinal) && File.Exists(full) ? File.ReadAllText(full) : null;
        }, imageSubstitutions, source: null);
    }

    /// <summary>Reads one entry from its folder's files (<paramref name="read"/>: a name within the folder → its text,
    /// or null when there is no such file in the folder). An entry of a git catalog (<paramref name="source"/>) gets the
    /// id <c>{source}/{id}</c>. Each error names its file and, where known, its line (<c>entry.yaml:3: id: …</c>).</summary>
    public static (CatalogEntry? Entry, IReadOnlyList<string> Errors) Read(
        Func<string, string?> read, IReadOnlyDictionary<string, string> imageSubstitutions, string? source)
    {
        var errors = new List<string>();
        if (read(EntryFile) is not { } entryText) return (null, [$"{EntryFile} is missing."]);
        var parsed = SourceDocument.Read(entryText);
        if (parsed.Document?.Root is not JsonObject root)
            return (null, [parsed.Errors.Count > 0
                ? string.Join("; ", parsed.Errors.Select(e => e.Position is { } p ? $"{EntryFile}:{p.Line}: {e.Message}" : $"{EntryFile}: {e.Message}"))
                : $"{EntryFile} is not a YAML mapping."]);
        var document = parsed.Document;
        string At(string pointer, string message) =>
            document.PositionOf(pointer) is { } position && pointer.Length > 0 ? $"{EntryFile}:{position.Line}: {message}" : $"{EntryFile}: {message}";
        if (read(WorkloadFile) is not { } template) return (null, [$"{WorkloadFile} is missing."]);

        var ownId = Text(root, "id");
        if (ownId is null || !EntryId().IsMatch(ownId)) errors.Add(At("/id", "id: lower-case letters, digits and '-', starting with a letter, at most 40."));
        var id = source is null ? ownId : $"{source}/{ownId}";
        var name = Text(root, "name");
        if (string.IsNullOrWhiteSpace(name)) errors.Add(At("/name", "name: required."));
        if (!CatalogVersion.TryParse(Text(root, "version"), out var version)) errors.Add(At("/version", "version: numbers separated by dots, optionally '-label' (1.39.10)."));
        var iconFile = Text(root, "icon");
        string? icon = null;
        if (iconFile is not null)
        {
            icon = iconFile.Split('/', '\\').Contains("..") || Path.IsPathRooted(iconFile) ? null : read(iconFile);
            if (icon is null) errors.Add(At("/icon", $"icon: '{iconFile}' is not a file of the entry's folder."));
        }

        var images = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in root["images"] as JsonObject ?? new JsonObject())
        {
            if (value?.GetValueKind() != System.Text.Json.JsonValueKind.String) { errors.Add(At($"/images/{key}", $"images.{key}: an image reference is required.")); continue; }
            images[key] = imageSubstitutions.GetValueOrDefault($"{id}:{key}") ?? value.GetValue<string>();
        }

        var parameters = new List<CatalogParameter>();
        foreach (var (node, index) in (root["parameters"] as JsonArray ?? new JsonArray()).Select((n, i) => (n, i)))
        {
            var (parameter, parameterErrors) = ReadParameter(node as JsonObject, $"parameters[{index}]");
            errors.AddRange(parameterErrors.Select(e => At($"/parameters/{index}", e)));
            if (parameter is not null) parameters.Add(parameter);
        }
        foreach (var duplicate in parameters.GroupBy(p => p.Id).Where(g => g.Count() > 1))
            errors.Add(At("/parameters", $"parameters: '{duplicate.Key}' is declared twice."));

        foreach (var (placeholderRoot, key) in CatalogTemplate.Placeholders(template))
        {
            var where = $"{WorkloadFile}:{LineOf(template, $"${{{placeholderRoot}.{key}}}")}";
            if (placeholderRoot == CatalogTemplate.ImagesRoot && !images.ContainsKey(key))
                errors.Add($"{where}: ${{images.{key}}} names no image of the entry.");
            if (placeholderRoot == CatalogTemplate.ParametersRoot && parameters.FirstOrDefault(declared => declared.Id == key) is var named
                && (named is null || named.GeneratesSecret))
                errors.Add(named is null
                    ? $"{where}: ${{parameters.{key}}} names no parameter of the entry."
                    : $"{where}: ${{parameters.{key}}} is a generated secret; pass it as ${{resources.env.{key}}}.");
        }
        if (errors.Count > 0) return (null, errors);
        return (new CatalogEntry(id!, name!.Trim(), version, Text(root, "description")?.Trim() ?? "", icon, parameters, images, template, source), []);
    }

    private static int LineOf(string text, string part)
    {
        var at = text.IndexOf(part, StringComparison.Ordinal);
        return at < 0 ? 1 : text.AsSpan(0, at).Count('\n') + 1;
    }

    private static (CatalogParameter?, IReadOnlyList<string>) ReadParameter(JsonObject? node, string at)
    {
        if (node is null) return (null, [$"{at}: a mapping is required."]);
        var errors = new List<string>();
        var id = Text(node, "id");
        if (VariableName.Check(id) is not null) errors.Add($"{at}.id: a variable name is required (letters, digits and '_').");
        var label = Text(node, "label");
        if (string.IsNullOrWhiteSpace(label)) errors.Add($"{at}.label: required.");
        var generate = Text(node, "generate");
        if (generate is not null and not "secret") errors.Add($"{at}.generate: only 'secret' can be generated.");
        var pattern = Text(node, "pattern");
        if (pattern is not null)
        {
            try { _ = new Regex(pattern, RegexOptions.CultureInvariant); }
            catch (ArgumentException e) { errors.Add($"{at}.pattern: {e.Message}"); }
        }
        var defaultValue = node["default"]?.ToString();
        if (generate is not null && (pattern is not null || defaultValue is not null)) errors.Add($"{at}: a generated secret has no pattern or default.");
        if (pattern is not null && defaultValue is not null && errors.Count == 0 && !CatalogParameters.Matches(pattern, defaultValue))
            errors.Add($"{at}.default: does not match its own pattern.");
        if (errors.Count > 0) return (null, errors);
        return (new CatalogParameter(id!, label!.Trim(), Text(node, "help")?.Trim(), defaultValue, pattern, generate is not null), []);
    }

    private static string? Text(JsonObject node, string key) =>
        node[key] is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : node[key]?.ToString();
}

/// <param name="Problems">Entries left out, each with why.</param>
public sealed record CatalogLoadResult(IReadOnlyList<CatalogEntry> Entries, IReadOnlyList<string> Problems);
