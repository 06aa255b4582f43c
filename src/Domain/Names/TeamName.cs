namespace Paddock.Domain.Names;

public readonly record struct TeamName
{
    public const int MaxLength = 63;
    public string Value { get; }

    private TeamName(string value) => Value = value;

    public static string? Check(string? value) => DnsLabel.Check(value, MaxLength) ?? ReservedNames.Check(value!);

    public static TeamName Parse(string value) =>
        Check(value) is { } error ? throw new ArgumentException(error, nameof(value)) : new TeamName(value);

    /// <summary>For values read back from storage, which were validated when written.</summary>
    public static TeamName FromTrusted(string value) => new(value);

    public override string ToString() => Value;
}
