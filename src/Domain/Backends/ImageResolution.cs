namespace Paddock.Domain.Backends;

/// <summary>What an image reference stands for on a backend right now: the content (<c>sha256:…</c>, the same kind
/// of value as <see cref="ApplyResult.ImageDigest"/>, so a deployment can be pinned to it), or, when the backend cannot
/// tell before it deploys, null and why (<paramref name="Note"/>).</summary>
public sealed record ImageResolution(string? Digest, string Note)
{
    public static ImageResolution Resolved(string digest) => new(digest, digest);

    public static ImageResolution AtDeploy(string why) => new(null, why);

    /// <summary>For a backend that resolves images only when it deploys them (its runtime pulls them).</summary>
    public static readonly ImageResolution ByTheRuntime = AtDeploy("resolved at deploy (by the runtime's pull)");
}
