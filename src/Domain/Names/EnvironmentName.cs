namespace Paddock.Domain.Names;

public readonly record struct EnvironmentName
{
    public const int MaxLength = 20;
    public string Value { get; }

    private EnvironmentName(string value) => Value = value;

    public static string? Check(string? value) => DnsLabel.Check(value, MaxLength);

    public static EnvironmentName Parse(string value) =>
        Check(value) is { } error ? throw new ArgumentException(error, nameof(value)) : new EnvironmentName(value);

    public static EnvironmentName FromTrusted(string value) => new(value);

    public override string ToString() => Value;
}
