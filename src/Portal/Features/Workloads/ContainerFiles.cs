using System.Text;
using System.Text.Json.Nodes;
using Paddock.Domain.Deployments;
using Paddock.Workloads.Export;
using Paddock.Workloads.Model;
using Paddock.Workloads.Placeholders;
using Paddock.Workloads.Source;

namespace Paddock.Portal.Features.Workloads;

/// <summary>
/// Reads the <c>files</c> of one container of a workload into what a deployment carries (<see cref="SnapshotFile"/>),
/// or says at which pointer a file is something Paddock cannot run. Placeholders of the workload's metadata are put in
/// place here (they cannot change between plan and apply); resource placeholders stay, for the worker to resolve once
/// the resources are provisioned: an app secret (through the environment resource) or an output of a provisioned
/// resource. A file written with <c>noExpand</c> is kept as a template whose every <c>$</c> is escaped.
/// </summary>
public static class ContainerFiles
{
    /// <summary>The largest file Paddock puts into a container (a Kubernetes ConfigMap holds at most 1 MiB in all).</summary>
    public const int MaxBytes = 256 * 1024;

    public static List<SnapshotFile> Read(Workload workload, string containerName, Container container,
        IReadOnlySet<string> environmentResources, IReadOnlySet<string> provisioned, IReadOnlyCollection<string> appSecretNames,
        Func<string, string, WorkloadError> error, List<WorkloadError> errors)
    {
        var files = new List<SnapshotFile>();
        foreach (var (target, file) in container.Files)
        {
            var at = Pointer.Of("containers", containerName, "files", target);
            var before = errors.Count;
            if (!target.StartsWith('/') || target.EndsWith('/') || target.Split('/').Any(part => part is "." or ".."))
                errors.Add(error(at, "A file's target is an absolute path to a file in the container (/etc/app/app.conf), without . or .. parts."));
            if (file.Mode is { } mode && ModeOf(mode) is null)
                errors.Add(error(Pointer.Append(at, "mode"), "Write the file's mode in octal, as in 0644 or 0600."));
            if (file.Source is not null)
            {
                // An environment that follows git reads the source at the workload's commit and puts it here as content
                // (GitWorkloadFiles) before the workload is planned: a source that is still here came with no file beside it.
                errors.Add(error(Pointer.Append(at, "source"), "A file's source is read beside the workload file, which needs a workload that " +
                    "follows git (an environment following a repository reads it at the same commit); this workload was submitted " +
                    "without files beside it: paste the file's content here (content, or binaryContent for bytes)."));
                continue;
            }
            string content;
            var binary = file.BinaryContent is not null;
            if (binary) content = file.BinaryContent!;
            else if (file.NoExpand == true) content = file.Content!.Replace("$", "$$", StringComparison.Ordinal);
            else content = Expand(file.Content!, workload, environmentResources, provisioned, appSecretNames,
                message => errors.Add(error(Pointer.Append(at, "content"), message)));
            if ((binary ? content.Length / 4 * 3 : Encoding.UTF8.GetByteCount(content)) > MaxBytes)
                errors.Add(error(at, $"A file is at most {MaxBytes / 1024} KiB."));
            if (errors.Count == before) files.Add(new SnapshotFile(containerName, target, file.Mode, content, binary));
        }
        return files;
    }

    /// <summary>The permission bits of an octal mode (<c>0644</c>, <c>600</c>), or null when it is not one.</summary>
    public static int? ModeOf(string mode) =>
        mode.Length is >= 1 and <= 5 && mode.All(c => c is >= '0' and <= '7') && Convert.ToInt32(mode, 8) is var bits && bits <= 0xFFF ? bits : null;

    /// <summary>The content with the metadata's values in place (escaped, so they are never read as placeholders
    /// again), and every other placeholder kept as written after checking that the worker can resolve it.</summary>
    private static string Expand(string content, Workload workload, IReadOnlySet<string> environmentResources, IReadOnlySet<string> provisioned,
        IReadOnlyCollection<string> appSecretNames, Action<string> problem)
    {
        var text = new StringBuilder(content.Length);
        JsonObject? metadata = null;
        foreach (var part in Template.Parse(content).Parts)
        {
            if (part is Literal literal) { text.Append(literal.Text.Replace("$", "$$", StringComparison.Ordinal)); continue; }
            var reference = (Reference)part;
            var path = reference.Path;
            if (reference.Root == "metadata")
            {
                metadata ??= CanonicalWorkload.ToJson(workload)["metadata"]!.AsObject();
                JsonNode? node = metadata;
                for (var i = 1; i < path.Count && node is not null; i++)
                    node = node is JsonObject obj && obj.TryGetPropertyValue(path[i], out var child) ? child : null;
                if (path.Count < 2 || node is null) { problem($"{reference}: the workload's metadata has no such value."); continue; }
                var value = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : CanonicalWorkload.Text(node);
                text.Append(value.Replace("$", "$$", StringComparison.Ordinal));
            }
            else if (reference.Root == "resources" && path.Count == 3 && environmentResources.Contains(path[1]) && appSecretNames.Contains(path[2]))
                text.Append(reference);
            else if (reference.Root == "resources" && path.Count == 3 && provisioned.Contains(path[1]))
                text.Append(reference);
            else
                problem($"{reference}: a file's content takes the workload's metadata, the application's own secrets (${{resources.env.NAME}}) " +
                        "and outputs of the resources Paddock provisions; write a literal $ as $$ (or set noExpand).");
        }
        return text.ToString();
    }
}
