using Paddock.Portal.Features.Workloads;
using Paddock.Workloads.Source;

namespace Paddock.Portal.Features.Sources;

/// <summary>
/// The files a workload read from git names as <c>source</c> (paths relative to the workload file), read from the same
/// repository at the same commit and put into the workload text as their content (<see cref="FileSources"/>). A file
/// that is missing, too large, absolute or outside the repository is an error at its <c>source</c>.
/// </summary>
public static class GitWorkloadFiles
{
    /// <summary>The workload text with its sourced files in place, or the errors (none read: the text as it was).</summary>
    public static async Task<(string? Text, IReadOnlyList<WorkloadError> Errors)> InlineAsync(
        GitMirror mirror, Guid repositoryId, string sha, string workloadPath, string text, CancellationToken ct)
    {
        var scan = FileSources.Find(text, workloadPath);
        if (scan.Files.Count == 0) return scan.Errors.Count == 0 ? (text, []) : (null, scan.Errors);
        var errors = scan.Errors.ToList();
        var read = new List<(SourcedFile, byte[])>();
        foreach (var file in scan.Files)
        {
            var (bytes, error) = await mirror.ReadBytesAsync(repositoryId, sha, file.RepositoryPath, ContainerFiles.MaxBytes, ct);
            if (error is not null) errors.Add(new WorkloadError(file.Pointer, file.Position, error));
            else read.Add((file, bytes!));
        }
        return errors.Count > 0 ? (null, errors) : (FileSources.Inline(text, read), []);
    }
}
