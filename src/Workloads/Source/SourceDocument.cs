using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Paddock.Workloads.Source;

/// <summary>
/// A submitted YAML or JSON text read into a JSON tree, remembering where in the text every node came from,
/// so that errors found later (by the schema, by Paddock's rules, by substitution) point at a line and column.
/// JSON is read by the same YAML reader: every JSON document Score users write is also YAML.
/// </summary>
public sealed partial class SourceDocument
{
    /// <summary>Workload files are small; anything larger is refused before it is read.</summary>
    public const int MaxTextLength = 1024 * 1024;

    /// <summary>Bounds the tree that aliases can expand into (a "billion laughs" document).</summary>
    private const int MaxNodes = 100_000;

    private readonly Dictionary<string, SourcePosition> _positions;
    private readonly Dictionary<string, SourcePosition> _keyPositions;

    private SourceDocument(JsonNode? root, Dictionary<string, SourcePosition> positions, Dictionary<string, SourcePosition> keyPositions)
    {
        Root = root;
        _positions = positions;
        _keyPositions = keyPositions;
    }

    /// <summary>The document as JSON; null only for a document that is explicitly null.</summary>
    public JsonNode? Root { get; }

    /// <summary>Where the node at <paramref name="pointer"/> starts, or its nearest ancestor that exists.</summary>
    public SourcePosition? PositionOf(string pointer)
    {
        for (string? p = pointer; p is not null; p = Pointer.Parent(p))
            if (_positions.TryGetValue(p, out var position)) return position;
        return null;
    }

    public WorkloadError Error(string pointer, string message) => new(pointer, PositionOf(pointer), message);

    /// <summary>An error about a property itself (one that should not be there), shown at its key.</summary>
    public WorkloadError KeyError(string pointer, string message) =>
        new(pointer, _keyPositions.TryGetValue(pointer, out var key) ? key : PositionOf(pointer), message);

    /// <summary>Reads <paramref name="text"/>; on failure the errors say where the text stops making sense.</summary>
    public static SourceReadResult Read(string text)
    {
        if (text.Length > MaxTextLength)
            return SourceReadResult.Failed(new WorkloadError("", null,
                $"The workload is {text.Length} characters long; at most {MaxTextLength} are accepted."));
        var nul = text.IndexOf('\0');
        if (nul >= 0)
            return SourceReadResult.Failed(new WorkloadError("", PositionAt(text, nul),
                "The text contains a NUL character (\\0), which a workload may not contain."));

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var message = e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message;
            return SourceReadResult.Failed(new WorkloadError("",
                new SourcePosition((int)e.Start.Line, (int)e.Start.Column), $"The text is not valid YAML or JSON: {message}"));
        }

        if (stream.Documents.Count == 0)
            return SourceReadResult.Failed(new WorkloadError("", null, "The workload is empty."));
        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            return SourceReadResult.Failed(new WorkloadError("", new SourcePosition((int)second.Line, (int)second.Column),
                "The text holds more than one YAML document; a workload file holds exactly one."));
        }

        var builder = new TreeBuilder();
        var root = builder.Convert(stream.Documents[0].RootNode, "");
        if (builder.Errors.Count > 0) return SourceReadResult.Failed([.. builder.Errors]);
        return SourceReadResult.Read(new SourceDocument(root, builder.Positions, builder.KeyPositions));
    }

    private static SourcePosition PositionAt(string text, int index)
    {
        int line = 1, column = 1;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n') { line++; column = 1; }
            else column++;
        }
        return new SourcePosition(line, column);
    }

    private sealed class TreeBuilder
    {
        private int _nodes;

        public Dictionary<string, SourcePosition> Positions { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, SourcePosition> KeyPositions { get; } = new(StringComparer.Ordinal);
        public List<WorkloadError> Errors { get; } = [];

        public JsonNode? Convert(YamlNode node, string pointer, SourcePosition? keyPosition = null)
        {
            if (++_nodes > MaxNodes)
            {
                if (_nodes == MaxNodes + 1)
                    Errors.Add(new WorkloadError(pointer, At(node), $"The workload expands to more than {MaxNodes} nodes."));
                return null;
            }

            switch (node)
            {
                case YamlMappingNode mapping:
                    // An object's errors are best shown at the key that names it, when it has one.
                    Positions[pointer] = keyPosition ?? At(node);
                    var obj = new JsonObject();
                    foreach (var (keyNode, valueNode) in mapping.Children)
                    {
                        if (keyNode is not YamlScalarNode { Value: { } key })
                        {
                            Errors.Add(new WorkloadError(pointer, At(keyNode), "A key must be a plain string."));
                            continue;
                        }
                        var childPointer = Pointer.Append(pointer, key);
                        if (key.Contains('\0'))
                        {
                            Errors.Add(new WorkloadError(childPointer, At(keyNode), "The key contains a NUL character (\\0), which a workload may not contain."));
                            continue;
                        }
                        KeyPositions[childPointer] = At(keyNode);
                        obj[key] = Convert(valueNode, childPointer, At(keyNode));
                    }
                    return obj;

                case YamlSequenceNode sequence:
                    Positions[pointer] = keyPosition ?? At(node);
                    var array = new JsonArray();
                    var index = 0;
                    foreach (var item in sequence.Children)
                        array.Add(Convert(item, Pointer.Append(pointer, index++)));
                    return array;

                case YamlScalarNode scalar:
                    Positions[pointer] = At(node);
                    var value = scalar.Value ?? "";
                    if (value.Contains('\0'))
                    {
                        Errors.Add(new WorkloadError(pointer, At(node), "The value contains a NUL character (\\0), which a workload may not contain."));
                        return null;
                    }
                    return Scalar(scalar, value);

                default:
                    Errors.Add(new WorkloadError(pointer, At(node), "Unsupported YAML node."));
                    return null;
            }
        }

        private static SourcePosition At(YamlNode node) => new((int)node.Start.Line, (int)node.Start.Column);

        /// <summary>YAML 1.2 core schema: only plain (unquoted, untagged) scalars may be null, booleans or numbers.</summary>
        private static JsonNode? Scalar(YamlScalarNode scalar, string value)
        {
            if (scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && scalar.Tag.Value is "tag:yaml.org,2002:str" or "!"))
                return JsonValue.Create(value);
            if (value is "" or "~" or "null" or "Null" or "NULL") return null;
            if (value is "true" or "True" or "TRUE") return JsonValue.Create(true);
            if (value is "false" or "False" or "FALSE") return JsonValue.Create(false);
            if (IntegerPattern().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                return JsonValue.Create(integer);
            if (FloatPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                return JsonValue.Create(number);
            return JsonValue.Create(value);
        }
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    internal static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    internal static partial Regex FloatPattern();
}

public sealed record SourceReadResult(SourceDocument? Document, IReadOnlyList<WorkloadError> Errors)
{
    public static SourceReadResult Read(SourceDocument document) => new(document, []);
    public static SourceReadResult Failed(params WorkloadError[] errors) => new(null, errors);
}
