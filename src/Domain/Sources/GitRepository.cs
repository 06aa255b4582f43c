namespace Paddock.Domain.Sources;

public enum GitCredentialKind
{
    None = 0,
    Token = 1,
    SshKey = 2,
}

/// <summary>A git repository a team registered so its environments can follow it. The credential (an HTTPS token or
/// an SSH private key) is stored encrypted and never shown again. One fetch per repository per interval serves every
/// environment that follows it.</summary>
public sealed class GitRepository
{
    public const int MaxUrlLength = 500;

    public Guid Id { get; private set; }
    public Guid TeamId { get; private set; }
    public string Url { get; private set; } = "";
    public GitCredentialKind CredentialKind { get; private set; }
    public string? ProtectedCredential { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    public DateTime? LastFetchedAt { get; private set; }
    /// <summary>Why the last fetch failed; null once one succeeds.</summary>
    public string? LastFetchError { get; private set; }

    private GitRepository() { }

    public GitRepository(Guid teamId, string url, GitCredentialKind credentialKind, string? protectedCredential, string createdBy, DateTime createdAt)
    {
        Id = Guid.CreateVersion7();
        TeamId = teamId;
        Url = url;
        CredentialKind = credentialKind;
        ProtectedCredential = protectedCredential;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
    }

    public void Fetched(DateTime at, string? error)
    {
        LastFetchedAt = at;
        LastFetchError = error;
    }
}
