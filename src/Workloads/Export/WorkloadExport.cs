using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Paddock.Workloads.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Paddock.Workloads.Export;

/// <summary>
/// Writes a workload back as a Score file, in its canonical form (keys sorted, list forms written as maps),
/// so that reading the export gives the same workload: same content hash, empty plan.
/// </summary>
public static partial class WorkloadExport
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // the file is data, not HTML: keep "<", "&" and non-ASCII readable
    };

    public static string ToJson(Workload workload) => CanonicalWorkload.ToJson(workload).ToJsonString(Indented) + "\n";

    public static string ToYaml(Workload workload) => ToYaml(CanonicalWorkload.ToJson(workload));

    /// <summary>Any JSON tree as YAML, with the quoting rules below.</summary>
    internal static string ToYaml(JsonObject root)
    {
        var writer = new StringWriter();
        var emitter = new Emitter(writer, new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false,
            maxSimpleKeyLength: 1024, skipAnchorName: false, indentSequences: false, newLine: "\n"));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Write(emitter, root);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void Write(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Block));
                foreach (var (key, value) in obj)
                {
                    WriteString(emitter, key);
                    Write(emitter, value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Block));
                foreach (var item in array) Write(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
            case JsonValue value when value.TryGetValue<string>(out var text):
                WriteString(emitter, text);
                break;
            default: // numbers and booleans
                emitter.Emit(new Scalar(null, null, node.ToJsonString(), ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
        }
    }

    private static readonly HashSet<string> ReadsAsOtherType = new(StringComparer.OrdinalIgnoreCase)
    {
        "", "~", "null", "true", "false",
        "y", "n", "yes", "no", "on", "off", // booleans to YAML 1.1 readers
        ".inf", "-.inf", "+.inf", ".nan",
    };

    /// <summary>
    /// A string is written plain when the emitter can and every YAML reader would read it back as a string:
    /// words other readers take for null, booleans or numbers (in YAML 1.1 or 1.2: "8080", "yes", "0o17",
    /// "1_000") are quoted; text with control characters is double-quoted so they survive as escapes;
    /// multi-line text is a literal block when the emitter can write it as one.
    /// </summary>
    private static void WriteString(IEmitter emitter, string text)
    {
        var style = ReadsAsOtherType.Contains(text) || NumberLike().IsMatch(text) || text.Any(c => c < ' ' && c != '\n')
            ? ScalarStyle.DoubleQuoted
            : text.Contains('\n') ? ScalarStyle.Literal
            : ScalarStyle.Any;
        emitter.Emit(new Scalar(null, null, text, style, isPlainImplicit: true, isQuotedImplicit: true));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[-+.]?[0-9][0-9A-Za-z_:.+-]*$")]
    private static partial System.Text.RegularExpressions.Regex NumberLike();
}
