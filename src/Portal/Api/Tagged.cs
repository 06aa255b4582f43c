namespace Paddock.Portal.Api;

/// <summary>A view with the ETag of the row it came from, for optimistic concurrency (see <see cref="ETags"/>).</summary>
public sealed record Tagged<T>(T View, string ETag);
