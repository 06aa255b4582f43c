using Paddock.Domain.Catalog;
using Paddock.Portal.Features.Sources;

namespace Paddock.Portal.Features.Catalog;

/// <summary>What reading a git catalog found: the ref's commit and its entry folders' files, or which field's value
/// could not be used and why.</summary>
public sealed record CatalogSourceRead(string? Commit, Dictionary<string, Dictionary<string, string>>? Files, string? Field, string? Error)
{
    public static CatalogSourceRead Failed(string field, string error) => new(null, null, field, error);
}

/// <summary>
/// Reads a git catalog through Paddock's git wrapper: <c>ls-remote</c> for the ref's head, a shallow fetch of that ref
/// into the source's own copy (<see cref="GitMirror"/>, under the source's id), then the files of each entry folder under
/// the source's path at that commit: <c>entry.yaml</c>, <c>score.yaml</c> and the SVG icons, each at most
/// <see cref="GitSettings.MaxFileBytes"/>, at most <see cref="MaxEntries"/> folders.
/// </summary>
public sealed class CatalogSourceReader(GitMirror mirror, GitCli git)
{
    public const int MaxEntries = 200;

    /// <summary>Reads the source's ref unless it still points at <paramref name="knownCommit"/> (then Files is null).</summary>
    public async Task<CatalogSourceRead> ReadAsync(CatalogSource source, GitCredential credential, string? knownCommit, CancellationToken ct)
    {
        var (refs, unreachable) = await mirror.ListRemoteAsync(source.Url, credential, ct);
        if (unreachable is not null) return CatalogSourceRead.Failed("url", $"{source.Url} could not be reached: {unreachable}");
        if (GitMirror.Resolve(refs!, source.Ref) is not { } refName) return CatalogSourceRead.Failed("ref", $"The ref '{source.Ref}' does not exist in {source.Url}.");
        var commit = refs![refName];
        if (commit == knownCommit) return new CatalogSourceRead(commit, null, null, null);
        if (await mirror.FetchAsync(source.Id, source.Url, credential, new Dictionary<string, string> { [refName] = commit }, ct) is { } fetchError)
            return CatalogSourceRead.Failed("url", $"{source.Url} could not be fetched: {fetchError}");

        var directory = mirror.DirectoryOf(source.Id);
        var shortSha = GitMirror.Short(commit);
        if (source.Path.Length > 0)
        {
            var type = await git.RunAsync(["cat-file", "-t", $"{commit}:{source.Path}"], GitCredential.None, directory, ct);
            if (!type.Succeeded || type.Output.Trim() != "tree") return CatalogSourceRead.Failed("path", $"{source.Path} is not a folder at commit {shortSha}.");
        }
        var arguments = new List<string> { "ls-tree", "-r", "-z", "--name-only", commit };
        if (source.Path.Length > 0) arguments.AddRange(["--", source.Path + "/"]);
        var tree = await git.RunAsync(arguments, GitCredential.None, directory, ct);
        if (!tree.Succeeded) return CatalogSourceRead.Failed("path", $"The files under '{source.Path}' could not be listed at commit {shortSha}: {tree.Error.Trim()}");

        var prefix = source.Path.Length > 0 ? source.Path + "/" : "";
        var wanted = tree.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.StartsWith(prefix, StringComparison.Ordinal))
            .Select(p => (Path: p, Relative: p[prefix.Length..]))
            .Where(p => p.Relative.Contains('/'))
            .Select(p => (p.Path, Folder: p.Relative[..p.Relative.IndexOf('/')], Name: p.Relative[(p.Relative.IndexOf('/') + 1)..]))
            .Where(p => p.Name is CatalogLoader.EntryFile or CatalogLoader.WorkloadFile || p.Name.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
            .ToList();
        var folders = wanted.Where(f => f.Name == CatalogLoader.EntryFile).Select(f => f.Folder).Distinct().Order(StringComparer.Ordinal).Take(MaxEntries).ToHashSet();
        var files = folders.ToDictionary(f => f, _ => new Dictionary<string, string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (path, folder, name) in wanted.Where(f => folders.Contains(f.Folder)))
        {
            // A file that cannot be read (too large) is left out: the entry then says which file it misses.
            var file = await mirror.ReadFileAsync(source.Id, commit, path, ct);
            if (file.Text is null) continue;
            files[folder][name] = file.Text;
        }
        return new CatalogSourceRead(commit, files, null, null);
    }
}
