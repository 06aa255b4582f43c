using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using Paddock.Domain.Sources;
using Paddock.Persistence;

namespace Paddock.Portal.Features.Sources;

/// <summary>A file read from a commit: its text, or why not (missing, too large).</summary>
public sealed record GitFile(string? Text, string? Error);

/// <summary>
/// Paddock's shallow copy of each registered repository, in <c>{DataDirectory}/git/{repositoryId}</c> (a bare
/// repository). A fetch brings only the refs environments follow, at most <see cref="GitSettings.FetchDepth"/> commits
/// deep, and a copy that grows beyond <see cref="GitSettings.MaxRepositoryBytes"/> is removed with a clear error.
/// Fetches of one repository never overlap.
/// </summary>
public sealed class GitMirror(GitCli git, GitSettings settings, IOptions<PaddockOptions> options)
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _locks = new();

    public string DirectoryOf(Guid repositoryId) => Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "git", repositoryId.ToString("N"));

    /// <summary>Every ref the remote advertises (name → sha; tags peeled to their commit), or why it cannot be reached.</summary>
    public async Task<(IReadOnlyDictionary<string, string>? Refs, string? Error)> ListRemoteAsync(string url, GitCredential credential, CancellationToken ct)
    {
        var result = await git.RunAsync(["ls-remote", "--", url], credential, null, ct);
        if (!result.Succeeded) return (null, Explain(result.Error));
        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t');
            if (parts.Length != 2) continue;
            var name = parts[1].EndsWith("^{}", StringComparison.Ordinal) ? parts[1][..^3] : parts[1];
            refs[name] = parts[0]; // a peeled tag ("^{}") comes after the tag object, so the commit wins
        }
        return (refs, null);
    }

    /// <summary>The full name a branch or tag has on the remote (<c>main</c> → <c>refs/heads/main</c>), or null.</summary>
    public static string? Resolve(IReadOnlyDictionary<string, string> refs, string reference) =>
        new[] { reference, "refs/heads/" + reference, "refs/tags/" + reference }.FirstOrDefault(refs.ContainsKey);

    /// <summary>Makes sure the copy has these commits of these refs: a shallow fetch of exactly them, skipped when every
    /// one is already there. Null, or why it failed.</summary>
    public Task<string?> FetchAsync(GitRepository repository, GitCredential credential, IReadOnlyDictionary<string, string> wanted, CancellationToken ct) =>
        FetchAsync(repository.Id, repository.Url, credential, wanted, ct);

    /// <summary>As above, for any remote Paddock keeps a copy of under an id of its own (a catalog source, too).</summary>
    public async Task<string?> FetchAsync(Guid copyId, string url, GitCredential credential, IReadOnlyDictionary<string, string> wanted, CancellationToken ct)
    {
        var gate = _locks.GetOrAdd(copyId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            var directory = DirectoryOf(copyId);
            if (!Directory.Exists(Path.Combine(directory, "objects")))
            {
                Directory.CreateDirectory(directory);
                var init = await git.RunAsync(["init", "--bare", "--quiet", directory], GitCredential.None, null, ct);
                if (!init.Succeeded) return "The local copy could not be created: " + init.Error.Trim();
            }
            var missing = new List<string>();
            foreach (var (name, sha) in wanted)
                if (!(await git.RunAsync(["cat-file", "-e", sha + "^{commit}"], GitCredential.None, directory, ct)).Succeeded) missing.Add(name);
            if (missing.Count == 0) return null;

            var arguments = new List<string> { "fetch", "--quiet", "--no-tags", "--force", "--depth", settings.FetchDepth.ToString(CultureInfo.InvariantCulture), "--", url };
            arguments.AddRange(missing.Select(name => $"+{name}:{name}"));
            var fetch = await git.RunAsync(arguments, credential, directory, ct);
            if (!fetch.Succeeded) return Explain(fetch.Error);
            var size = SizeOf(directory);
            if (size > settings.MaxRepositoryBytes)
            {
                Directory.Delete(directory, recursive: true);
                return $"The repository is too large: a fetch of {settings.FetchDepth} commits took {size / (1024 * 1024)} MiB, more than the " +
                    $"{settings.MaxRepositoryBytes / (1024 * 1024)} MiB allowed (Paddock:Git:MaxRepositoryBytes).";
            }
            return null;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>A file at a commit, or why not.</summary>
    public async Task<GitFile> ReadFileAsync(Guid repositoryId, string sha, string path, CancellationToken ct)
    {
        var directory = DirectoryOf(repositoryId);
        var size = await git.RunAsync(["cat-file", "-s", $"{sha}:{path}"], GitCredential.None, directory, ct);
        if (!size.Succeeded) return new GitFile(null, $"{path} does not exist at commit {Short(sha)}.");
        if (long.TryParse(size.Output.Trim(), CultureInfo.InvariantCulture, out var bytes) && bytes > settings.MaxFileBytes)
            return new GitFile(null, $"{path} at commit {Short(sha)} is {bytes} bytes, more than the {settings.MaxFileBytes} allowed.");
        var blob = await git.RunAsync(["cat-file", "blob", $"{sha}:{path}"], GitCredential.None, directory, ct);
        return blob.Succeeded ? new GitFile(blob.Output, null) : new GitFile(null, $"{path} could not be read at commit {Short(sha)}: {blob.Error.Trim()}");
    }

    /// <summary>A file at a commit as bytes (it may not be text), at most <paramref name="maxBytes"/>, or why not.</summary>
    public async Task<(byte[]? Bytes, string? Error)> ReadBytesAsync(Guid repositoryId, string sha, string path, int maxBytes, CancellationToken ct)
    {
        var directory = DirectoryOf(repositoryId);
        var size = await git.RunAsync(["cat-file", "-s", $"{sha}:{path}"], GitCredential.None, directory, ct);
        if (!size.Succeeded) return (null, $"{path} does not exist at commit {Short(sha)}.");
        if (long.TryParse(size.Output.Trim(), CultureInfo.InvariantCulture, out var bytes) && bytes > maxBytes)
            return (null, $"{path} at commit {Short(sha)} is {bytes} bytes, more than the {maxBytes} a file in a container may hold.");
        var blob = await git.RunForBytesAsync(["cat-file", "blob", $"{sha}:{path}"], directory, ct);
        return blob.Succeeded ? (blob.Bytes, null) : (null, $"{path} could not be read at commit {Short(sha)}: {blob.Error.Trim()}");
    }

    /// <summary>The commits from <paramref name="from"/> (exclusive; null or unknown: just <paramref name="to"/>) to
    /// <paramref name="to"/>, newest first, at most the fetch depth.</summary>
    public async Task<IReadOnlyList<GitCommitInfo>> CommitsAsync(Guid repositoryId, string? from, string to, CancellationToken ct)
    {
        var directory = DirectoryOf(repositoryId);
        var range = from is not null && (await git.RunAsync(["cat-file", "-e", from + "^{commit}"], GitCredential.None, directory, ct)).Succeeded
            ? $"{from}..{to}" : to;
        var arguments = new List<string> { "log", "--format=%H%x1f%an <%ae>%x1f%cI%x1f%B%x1e", "--max-count=" + (from is null || range == to ? 1 : settings.FetchDepth), range, "--" };
        var log = await git.RunAsync(arguments, GitCredential.None, directory, ct);
        if (!log.Succeeded) return [];
        return log.Output.Split('\x1e', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Trim('\n').Split('\x1f'))
            .Where(fields => fields.Length == 4)
            .Select(fields => new GitCommitInfo(fields[0], fields[3].Trim(), fields[1],
                DateTimeOffset.Parse(fields[2], CultureInfo.InvariantCulture).UtcDateTime))
            .ToList();
    }

    public static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;

    private static long SizeOf(string directory) =>
        new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    /// <summary>git's own words, without its "fatal:" prefixes, on one line.</summary>
    private static string Explain(string error)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.StartsWith("fatal: ", StringComparison.Ordinal) ? l[7..] : l);
        var text = string.Join(" ", lines);
        return text.Length == 0 ? "git failed without saying why." : text.Length > 1000 ? text[..1000] : text;
    }
}
