namespace Paddock.Workloads.Placeholders;

/// <summary>
/// A value a container receives, whether it is secret, and whether it is known yet. Secrecy is contagious: a
/// value built from a secret (a URL around a password) is secret too. So is not being known: a value built from
/// the output of a resource that is not provisioned yet is known only after apply, and its
/// <see cref="Text"/> is then the placeholder it stands for. ToString never shows a secret's text, so a value that
/// slips into a log or a message shows the mask instead.
/// </summary>
public sealed record ConfigValue(string Text, bool IsSecret, bool IsKnown = true)
{
    public const string Mask = "(secret)";
    public const string KnownAfterApply = "(known after apply)";

    public static ConfigValue Plain(string text) => new(text, false);
    public static ConfigValue Secret(string text) => new(text, true);

    /// <summary>The output of a resource not provisioned yet, standing in as its placeholder.</summary>
    public static ConfigValue Pending(string placeholder) => new(placeholder, false, IsKnown: false);

    public static ConfigValue Concat(IEnumerable<ConfigValue> parts)
    {
        var list = parts.ToList();
        return new ConfigValue(string.Concat(list.Select(p => p.Text)), list.Any(p => p.IsSecret), list.All(p => p.IsKnown));
    }

    public override string ToString() => IsSecret ? Mask : IsKnown ? Text : KnownAfterApply;
}
