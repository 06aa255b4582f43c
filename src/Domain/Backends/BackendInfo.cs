namespace Paddock.Domain.Backends;

/// <summary>Whether a runtime answers; <see cref="Reason"/> says why not when it does not.</summary>
public sealed record BackendInfo(string Kind, string Name, bool Reachable, string? Version, string? Reason);
