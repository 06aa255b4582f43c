using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Paddock.Workloads.Source;

/// <summary>A container file whose <c>source</c> names a file beside the workload: where it is in the workload and
/// which file of the repository it is (a path from the repository's root, without <c>.</c> or <c>..</c>).</summary>
public sealed record SourcedFile(string Pointer, SourcePosition Position, string RepositoryPath, int KeyStart, int KeyEnd, int ValueStart, int ValueEnd);

/// <summary>The sourced files of a workload text, or why a source cannot be read (each error at its pointer).</summary>
public sealed record FileSourceScan(IReadOnlyList<SourcedFile> Files, IReadOnlyList<WorkloadError> Errors);

/// <summary>
/// Score's <c>files[].source</c>: a path relative to the workload file. Paddock reads such files only where the
/// workload file itself came from (a repository at a commit), and puts each one into the workload text in place of
/// its <c>source</c>, as the <c>content</c> it then is (or <c>binaryContent</c>, base64, when it is not UTF-8 text).
/// The text is changed only on the line of each <c>source</c>, so every other line and column stays where it was, and
/// the workload that is planned, stored as a revision and exported says exactly what runs.
/// </summary>
public static class FileSources
{
    private static readonly JsonSerializerOptions Quoting = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The files of <paramref name="text"/> that name a <c>source</c>, resolved against the directory of
    /// <paramref name="workloadPath"/> (a path from the repository's root). A text that is not YAML has none here: the
    /// plan reports what is wrong with it.</summary>
    public static FileSourceScan Find(string text, string workloadPath)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException)
        {
            return new FileSourceScan([], []);
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root
            || Child(root, "containers") is not YamlMappingNode containers)
            return new FileSourceScan([], []);

        var directory = workloadPath.Contains('/') ? workloadPath[..workloadPath.LastIndexOf('/')] : "";
        var files = new List<SourcedFile>();
        var errors = new List<WorkloadError>();
        var seen = new HashSet<long>(); // a file mapping reached twice through an alias is replaced once
        foreach (var (nameNode, container) in containers.Children)
        {
            if (nameNode is not YamlScalarNode { Value: { } name } || container is not YamlMappingNode containerMap) continue;
            var filesPointer = Pointer.Of("containers", name, "files");
            var entries = Child(containerMap, "files") switch
            {
                YamlMappingNode map => map.Children.Where(c => c.Key is YamlScalarNode { Value: not null })
                    .Select(c => (Pointer.Append(filesPointer, ((YamlScalarNode)c.Key).Value!), c.Value)).ToList(),
                YamlSequenceNode list => list.Children.Select((item, i) => (Pointer.Append(filesPointer, i), item)).ToList(),
                _ => [],
            };
            foreach (var (at, file) in entries)
            {
                if (file is not YamlMappingNode fileMap) continue;
                var sourceKey = fileMap.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(k => k.Value == "source");
                // A file with content as well is left as written: the schema refuses it for what it is.
                if (sourceKey is null || Child(fileMap, "content") is not null || Child(fileMap, "binaryContent") is not null) continue;
                var pointer = Pointer.Append(at, "source");
                var position = new SourcePosition((int)fileMap.Children[sourceKey].Start.Line, (int)fileMap.Children[sourceKey].Start.Column);
                if (!seen.Add(sourceKey.Start.Index)) continue;
                // An alias (*name) would point at text elsewhere in the file, which must not be replaced.
                if (fileMap.Children[sourceKey] is not YamlScalarNode { Value: { Length: > 0 } source } value
                    || value.Start.Index < sourceKey.End.Index || sourceKey.Start.Index < fileMap.Start.Index)
                {
                    errors.Add(new WorkloadError(pointer, position, "A file's source is the path of a file beside the workload file, written out (not an alias)."));
                    continue;
                }
                if (Resolve(directory, source) is not { } path)
                {
                    errors.Add(new WorkloadError(pointer, position, $"'{source}': a file's source is a path relative to the workload file " +
                        "(as in ./app.conf or config/app.conf) that stays inside the repository; an absolute path or one that leaves the repository with .. is not read."));
                    continue;
                }
                files.Add(new SourcedFile(pointer, position, path, (int)sourceKey.Start.Index, (int)sourceKey.End.Index, (int)value.Start.Index, (int)value.End.Index));
            }
        }
        return new FileSourceScan(files, errors);
    }

    /// <summary>The text with each sourced file's bytes in place of its <c>source</c>: <c>content</c> when they are
    /// UTF-8 text, else <c>binaryContent</c> (base64). Everything else in the text is kept as written.</summary>
    public static string Inline(string text, IReadOnlyList<(SourcedFile File, byte[] Bytes)> read)
    {
        var result = new StringBuilder(text);
        // From the end, so the offsets of the earlier ones still hold.
        foreach (var (file, bytes) in read.OrderByDescending(r => r.File.KeyStart))
        {
            var (key, value) = TextOf(bytes) is { } content
                ? ("content", content)
                : ("binaryContent", Convert.ToBase64String(bytes));
            // The value first: it comes after its key.
            result.Remove(file.ValueStart, file.ValueEnd - file.ValueStart).Insert(file.ValueStart, JsonSerializer.Serialize(value, Quoting));
            result.Remove(file.KeyStart, file.KeyEnd - file.KeyStart).Insert(file.KeyStart, JsonSerializer.Serialize(key, Quoting));
        }
        return result.ToString();
    }

    /// <summary>The bytes as text when they are UTF-8 without NUL characters (which a workload may not hold), else null.</summary>
    public static string? TextOf(byte[] bytes)
    {
        try
        {
            var text = StrictUtf8.GetString(bytes);
            return text.Contains('\0') ? null : text;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary><paramref name="source"/> from <paramref name="directory"/> as a path from the repository's root, or null
    /// when it is absolute or leaves the repository.</summary>
    public static string? Resolve(string directory, string source)
    {
        if (source.StartsWith('/') || source.Contains('\\') || source.Contains('\0')) return null;
        var parts = new List<string>(directory.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (var part in source.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                if (parts.Count == 0) return null;
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return parts.Count == 0 ? null : string.Join('/', parts);
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: var k } && k == key).Value;
}
