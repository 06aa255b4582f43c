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
        var errors = new List<string>();
        var read = SourceDocument.Read(File.ReadAllText(Path.Combine(directory, EntryFile)));
        if (read.Document?.Root is not JsonObject root) return (null, [$"{EntryFile} is not a YAML mapping: {string.Join("; ", read.Errors)}"]);
        var workloadPath = Path.Combine(directory, WorkloadFile);
        if (!File.Exists(workloadPath)) return (null, [$"{WorkloadFile} is missing."]);

        var id = Text(root, "id");
        if (id is null || !EntryId().IsMatch(id)) errors.Add("id: lower-case letters, digits and '-', starting with a letter, at most 40.");
        var name = Text(root, "name");
        if (string.IsNullOrWhiteSpace(name)) errors.Add("name: required.");
        if (!CatalogVersion.TryParse(Text(root, "version"), out var version)) errors.Add("version: numbers separated by dots, optionally '-label' (1.39.10).");
        var iconFile = Text(root, "icon");
        string? icon = null;
        if (iconFile is not null)
        {
            var iconPath = Path.GetFullPath(Path.Combine(directory, iconFile));
            if (!iconPath.StartsWith(Path.GetFullPath(directory) + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(iconPath))
                errors.Add($"icon: '{iconFile}' is not a file of the entry's folder.");
            else icon = File.ReadAllText(iconPath);
        }

        var images = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in root["images"] as JsonObject ?? new JsonObject())
        {
            if (value?.GetValueKind() != System.Text.Json.JsonValueKind.String) { errors.Add($"images.{key}: an image reference is required."); continue; }
            images[key] = imageSubstitutions.GetValueOrDefault($"{id}:{key}") ?? value.GetValue<string>();
        }

        var parameters = new List<CatalogParameter>();
        foreach (var (node, index) in (root["parameters"] as JsonArray ?? new JsonArray()).Select((n, i) => (n, i)))
        {
            var (parameter, parameterErrors) = ReadParameter(node as JsonObject, $"parameters[{index}]");
            errors.AddRange(parameterErrors);
            if (parameter is not null) parameters.Add(parameter);
        }
        foreach (var duplicate in parameters.GroupBy(p => p.Id).Where(g => g.Count() > 1)) errors.Add($"parameters: '{duplicate.Key}' is declared twice.");

        var template = File.ReadAllText(workloadPath);
        foreach (var (placeholderRoot, key) in CatalogTemplate.Placeholders(template))
        {
            if (placeholderRoot == CatalogTemplate.ImagesRoot && !images.ContainsKey(key))
                errors.Add($"{WorkloadFile}: ${{images.{key}}} names no image of the entry.");
            if (placeholderRoot == CatalogTemplate.ParametersRoot && parameters.FirstOrDefault(declared => declared.Id == key) is var named
                && (named is null || named.GeneratesSecret))
                errors.Add(named is null
                    ? $"{WorkloadFile}: ${{parameters.{key}}} names no parameter of the entry."
                    : $"{WorkloadFile}: ${{parameters.{key}}} is a generated secret; pass it as ${{resources.env.{key}}}.");
        }
        if (errors.Count > 0) return (null, errors);
        return (new CatalogEntry(id!, name!.Trim(), version, Text(root, "description")?.Trim() ?? "", icon, parameters, images, template), []);
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
