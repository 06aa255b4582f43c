namespace Paddock.Domain.Resources;

/// <summary>A class of a resource type as an admin registered it: the server Paddock provisions on and how to reach
/// it. <see cref="Secrets"/> (an admin password, a token) are decrypted only for the provisioner's call.</summary>
public sealed record ResourceClassSettings(
    string Type,
    string Name,
    IReadOnlyDictionary<string, string> Values,
    IReadOnlyDictionary<string, string> Secrets);
