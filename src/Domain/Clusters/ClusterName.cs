using Paddock.Domain.Names;

namespace Paddock.Domain.Clusters;

/// <summary>The name environments use to pick a registered cluster as their backend: a DNS label, unique across
/// every backend (configured ones included), so a backend name never means two things.</summary>
public readonly record struct ClusterName
{
    /// <summary>The environments' backend column holds at most this many characters.</summary>
    public const int MaxLength = 63;

    public string Value { get; }

    private ClusterName(string value) => Value = value;

    public static string? Check(string? value) => DnsLabel.Check(value, MaxLength);

    public static ClusterName Parse(string value) =>
        Check(value) is { } error ? throw new ArgumentException(error, nameof(value)) : new ClusterName(value);

    public static ClusterName FromTrusted(string value) => new(value);

    public override string ToString() => Value;
}
