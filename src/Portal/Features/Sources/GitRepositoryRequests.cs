using Paddock.Domain.Sources;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Sources;

/// <summary>Registers a repository: its URL and at most one credential (an HTTPS token or an SSH private key).</summary>
public sealed record RegisterRepositoryRequest(string? Url = null, string? Token = null, string? SshKey = null)
{
    public const int MaxTokenLength = 1000;
    public const int MaxSshKeyLength = 16000;

    public void Validate(FieldErrors errors)
    {
        errors.Add("url", GitUrls.Check(Url));
        if (Token is not null && SshKey is not null) errors.Add("token", "Give a token or an sshKey, not both.");
        if (Token is { } token && (token.Length is 0 or > MaxTokenLength || token.Any(char.IsControl)))
            errors.Add("token", $"A token is 1 to {MaxTokenLength} characters on one line.");
        if (SshKey is { } key && (key.Length > MaxSshKeyLength || !key.Contains("PRIVATE KEY-----", StringComparison.Ordinal)))
            errors.Add("sshKey", $"An SSH private key in OpenSSH or PEM form (-----BEGIN ... PRIVATE KEY-----), at most {MaxSshKeyLength} characters.");
        if (SshKey is not null && Url is { } url && (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
            errors.Add("sshKey", "An SSH key needs an ssh:// or user@host:path URL.");
        if (Token is not null && Url is { } httpsUrl && !httpsUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && !httpsUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            errors.Add("token", "A token needs an https:// URL.");
    }

    public GitCredentialKind Kind => Token is not null ? GitCredentialKind.Token : SshKey is not null ? GitCredentialKind.SshKey : GitCredentialKind.None;

    public GitCredential Credential => new(Token, SshKey);
}

/// <summary>Which repository URLs Paddock fetches: network transports only, never with a credential inside the URL.</summary>
public static class GitUrls
{
    public static string? Check(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return "Required: the repository's clone URL, e.g. https://git.example.com/team/app.git.";
        if (url.Length > GitRepository.MaxUrlLength) return $"At most {GitRepository.MaxUrlLength} characters.";
        if (url.Trim() != url || url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))) return "A URL has no spaces or control characters.";
        if (url.StartsWith('-')) return "A URL cannot start with '-'.";
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" or "git" or "ssh")
            return uri.UserInfo.Contains(':') ? "Put the credential in token or sshKey, not in the URL (it would be shown and logged)." : null;
        // scp-like SSH: user@host:path
        var at = url.IndexOf('@');
        var colon = url.IndexOf(':');
        if (at > 0 && colon > at + 1 && !url.Contains("://", StringComparison.Ordinal) && colon < url.Length - 1) return null;
        return "Use an https://, http://, git://, ssh:// or user@host:path URL (local paths and file:// are not fetched).";
    }

    /// <summary>A URL as GitHub and others name the same repository in many ways: lower case, no scheme, user, trailing .git or slash.</summary>
    public static string Normalize(string url)
    {
        var text = url.Trim().ToLowerInvariant();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) text = text[(scheme + 3)..];
        var at = text.IndexOf('@');
        if (at >= 0 && at < text.IndexOfAny([':', '/'])) text = text[(at + 1)..];
        else if (at >= 0 && scheme < 0) text = text[(at + 1)..];
        if (scheme < 0) text = text.Replace(':', '/');
        text = text.TrimEnd('/');
        return text.EndsWith(".git", StringComparison.Ordinal) ? text[..^4] : text;
    }
}

/// <summary>A repository as listed: never its credential, only which kind it has.</summary>
public sealed record GitRepositoryView(Guid Id, string Team, string Url, GitCredentialKind Credential, string CreatedBy, DateTime CreatedAt,
    DateTime? LastFetchedAt, string? LastFetchError)
{
    public static GitRepositoryView Of(GitRepository repository, string team) => new(repository.Id, team, repository.Url, repository.CredentialKind,
        repository.CreatedBy, repository.CreatedAt, repository.LastFetchedAt, repository.LastFetchError);
}
