namespace Paddock.Domain.Names;

public readonly record struct AppName
{
    public const int MaxLength = 30;
    public string Value { get; }

    private AppName(string value) => Value = value;

    public static string? Check(string? value) => DnsLabel.Check(value, MaxLength) ?? ReservedNames.Check(value!);

    public static AppName Parse(string value) =>
        Check(value) is { } error ? throw new ArgumentException(error, nameof(value)) : new AppName(value);

    public static AppName FromTrusted(string value) => new(value);

    public override string ToString() => Value;
}
