using System.Text.RegularExpressions;
using Paddock.Domain.Catalog;
using Paddock.Domain.Sources;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Sources;

namespace Paddock.Portal.Features.Catalog;

/// <summary>Registers a git repository as a catalog: its name (the prefix of its entries' ids), URL, ref, the folder of
/// entry folders (<c>path</c>, default the repository's root) and at most one credential, as team repositories take them.</summary>
public sealed partial record RegisterCatalogSourceRequest(
    string? Name = null, string? Url = null, string? Ref = null, string? Path = null, string? Token = null, string? SshKey = null)
{
    /// <summary>Names the API's own routes use under <c>/api/v1/catalog/</c>, which a source's entries could not be reached at.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "sources" };

    [GeneratedRegex("^[a-z][a-z0-9-]{0,29}$", RegexOptions.CultureInvariant)]
    private static partial Regex SourceName();

    public void Validate(FieldErrors errors)
    {
        if (Name is null || !SourceName().IsMatch(Name)) errors.Add("name", "Required: lower-case letters, digits and '-', starting with a letter, at most 30.");
        else if (Reserved.Contains(Name)) errors.Add("name", $"'{Name}' is reserved; choose another name.");
        new RegisterRepositoryRequest(Url, Token, SshKey).Validate(errors);
        if (string.IsNullOrWhiteSpace(Ref)) errors.Add("ref", "Required: the branch or tag to read, e.g. main.");
        else if (Ref.Length > CatalogSource.MaxRefLength || Ref.StartsWith('-') || Ref.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is ':' or '~' or '^'))
            errors.Add("ref", "A branch or tag name: no spaces, ':', '~' or '^', not starting with '-'.");
        if (Path is { } path && (path.Length > CatalogSource.MaxPathLength || path.StartsWith('-') || path.Contains('\\')
                || path.Any(char.IsControl) || path.Split('/', StringSplitOptions.RemoveEmptyEntries).Any(s => s is "." or "..")))
            errors.Add("path", $"A folder of the repository relative to its root ('/'-separated, no '.' or '..'), at most {CatalogSource.MaxPathLength} characters.");
    }

    /// <summary>The path as stored: no leading or trailing '/'; empty for the repository's root.</summary>
    public string Folder => (Path ?? "").Trim('/');

    public GitCredentialKind Kind => new RegisterRepositoryRequest(Url, Token, SshKey).Kind;
}

/// <summary>A git catalog as admins see it: never its credential, only its kind; the commit last read and when, the
/// error of the last fetch if it failed (the entries of the last good commit stay listed), and its entries.</summary>
/// <param name="Broken">Entry folders that do not validate, each with its problems (file and line).</param>
public sealed record CatalogSourceView(
    string Name, string Url, string Ref, string Path, GitCredentialKind Credential, string CreatedBy, DateTime CreatedAt,
    string? LastCommit, DateTime? LastReadAt, DateTime? LastFetchedAt, string? LastError,
    IReadOnlyList<string> Entries, IReadOnlyList<BrokenCatalogEntryView> Broken)
{
    public static CatalogSourceView Of(CatalogSource source, CatalogListing listing) => new(
        source.Name, source.Url, source.Ref, source.Path, source.CredentialKind, source.CreatedBy, source.CreatedAt,
        source.LastCommit, source.LastReadAt, source.LastFetchedAt, source.LastError,
        listing.Entries.Where(e => e.Source == source.Name).Select(e => e.Id).ToList(),
        listing.Broken.Where(b => b.Source == source.Name).Select(BrokenCatalogEntryView.Of).ToList());
}

public sealed record BrokenCatalogEntryView(string Id, string Folder, IReadOnlyList<string> Problems)
{
    public static BrokenCatalogEntryView Of(BrokenCatalogEntry entry) => new(entry.Id, entry.Folder, entry.Problems);
}
