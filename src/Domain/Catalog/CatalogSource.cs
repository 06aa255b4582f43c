using Paddock.Domain.Sources;

namespace Paddock.Domain.Catalog;

/// <summary>
/// A git repository an admin registered as a catalog: the folder at <see cref="Path"/> of <see cref="Ref"/> holds entry
/// folders in the built-in catalog's format. Its credential is stored encrypted and never shown again. The files of its
/// entries at the last commit that was read (<see cref="Files"/>) are kept here, so every portal process lists the same
/// entries and an unreachable repository keeps serving its last good ones while <see cref="LastError"/> says why.
/// </summary>
public sealed class CatalogSource
{
    public const int MaxNameLength = 30;
    public const int MaxRefLength = 255;
    public const int MaxPathLength = 500;

    public Guid Id { get; private set; }
    /// <summary>The prefix of its entries' ids (<c>{name}/{entry}</c>): lower-case letters, digits and '-'.</summary>
    public string Name { get; private set; } = "";
    public string Url { get; private set; } = "";
    public string Ref { get; private set; } = "";
    /// <summary>The folder of entry folders within the repository; empty for its root.</summary>
    public string Path { get; private set; } = "";
    public GitCredentialKind CredentialKind { get; private set; }
    public string? ProtectedCredential { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }

    /// <summary>The commit whose entries <see cref="Files"/> holds; null until one was read.</summary>
    public string? LastCommit { get; private set; }
    /// <summary>When <see cref="LastCommit"/> was read.</summary>
    public DateTime? LastReadAt { get; private set; }
    /// <summary>When the remote was last asked for its refs, whatever the answer.</summary>
    public DateTime? LastFetchedAt { get; private set; }
    /// <summary>Why the last fetch or read failed; null once one succeeds.</summary>
    public string? LastError { get; private set; }
    /// <summary>By entry folder, its files (name within the folder → text) at <see cref="LastCommit"/>.</summary>
    public Dictionary<string, Dictionary<string, string>> Files { get; private set; } = [];

    private CatalogSource() { }

    public CatalogSource(string name, string url, string reference, string path, GitCredentialKind credentialKind, string? protectedCredential,
        string createdBy, DateTime createdAt)
    {
        Id = Guid.CreateVersion7();
        Name = name;
        Url = url;
        Ref = reference;
        Path = path;
        CredentialKind = credentialKind;
        ProtectedCredential = protectedCredential;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
    }

    /// <summary>The entries' files at <paramref name="commit"/> were read: they replace the last ones.</summary>
    public void Read(string commit, Dictionary<string, Dictionary<string, string>> files, DateTime at)
    {
        LastCommit = commit;
        Files = files;
        LastReadAt = at;
        LastFetchedAt = at;
        LastError = null;
    }

    /// <summary>The remote answered and its ref still points at <see cref="LastCommit"/>.</summary>
    public void Unchanged(DateTime at)
    {
        LastFetchedAt = at;
        LastError = null;
    }

    /// <summary>The remote could not be reached or read: the last good entries stay.</summary>
    public void Failed(string error, DateTime at)
    {
        LastFetchedAt = at;
        LastError = error.Length > 2000 ? error[..2000] : error;
    }
}
