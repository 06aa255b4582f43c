namespace Paddock.Portal.Features.Environments;

/// <summary>The backends environments may run on: each child key of the <c>Backends</c> configuration section
/// is one. With nothing configured, the local Docker engine is the single default.</summary>
public sealed class KnownBackends(IConfiguration configuration)
{
    public const string Section = "Backends";
    public const string Default = "docker";

    public IReadOnlyList<string> Names
    {
        get
        {
            var configured = configuration.GetSection(Section).GetChildren().Select(c => c.Key).Order(StringComparer.Ordinal).ToList();
            return configured.Count > 0 ? configured : [Default];
        }
    }

    /// <summary>The configured spelling of <paramref name="name"/>, or null when no such backend exists.</summary>
    public string? Find(string? name) =>
        Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
}
