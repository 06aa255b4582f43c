namespace Paddock.Workloads.Placeholders;

/// <summary>
/// A value a container receives, and whether it is secret. Secrecy is contagious: a value built from a
/// secret (a URL around a password) is secret too. ToString never shows a secret's text, so a value that
/// slips into a log or a message shows the mask instead.
/// </summary>
public sealed record ConfigValue(string Text, bool IsSecret)
{
    public const string Mask = "(secret)";

    public static ConfigValue Plain(string text) => new(text, false);
    public static ConfigValue Secret(string text) => new(text, true);

    public static ConfigValue Concat(IEnumerable<ConfigValue> parts)
    {
        var list = parts.ToList();
        return new ConfigValue(string.Concat(list.Select(p => p.Text)), list.Any(p => p.IsSecret));
    }

    public override string ToString() => IsSecret ? Mask : Text;
}
