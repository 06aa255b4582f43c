using Paddock.Domain.Resources;

namespace Paddock.Portal.Features.Resources;

/// <summary>A resource class as the API shows it: its plain settings and only the names of its secret ones.</summary>
public sealed record ResourceClassView(
    string Type,
    string Name,
    IReadOnlyDictionary<string, string> Values,
    IReadOnlyList<string> Secrets,
    string CreatedBy,
    DateTime CreatedAt,
    string UpdatedBy,
    DateTime UpdatedAt)
{
    public static ResourceClassView Of(ResourceClass resourceClass) => new(
        resourceClass.Type, resourceClass.Name,
        new SortedDictionary<string, string>(resourceClass.Values, StringComparer.Ordinal),
        resourceClass.ProtectedSecrets.Keys.Order(StringComparer.Ordinal).ToList(),
        resourceClass.CreatedBy, resourceClass.CreatedAt, resourceClass.UpdatedBy, resourceClass.UpdatedAt);
}

/// <summary>A new class: <c>values</c> are its plain settings, <c>secrets</c> its secret ones (stored encrypted,
/// never returned). Which settings a type needs is its provisioner's to say (postgres: host, port, username,
/// database; secret password).</summary>
public sealed record CreateResourceClassRequest(
    string? Type, string? Name, Dictionary<string, string>? Values, Dictionary<string, string>? Secrets);

/// <summary>A change of a class: <c>values</c>, when given, replace the plain settings; each entry of <c>secrets</c>
/// replaces that secret, or removes it when null; secrets not named stay as they are.</summary>
public sealed record UpdateResourceClassRequest(Dictionary<string, string>? Values, Dictionary<string, string?>? Secrets);
