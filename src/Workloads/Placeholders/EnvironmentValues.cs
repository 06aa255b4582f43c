namespace Paddock.Workloads.Placeholders;

/// <summary>
/// The variables and secrets Paddock keeps for an app and environment (set in the UI or API, never in the
/// workload file). A workload reaches them through a resource of type <c>environment</c>:
/// <c>${resources.env.DATABASE_URL}</c>. A name set as both a secret and a variable is taken as the secret.
/// </summary>
public sealed record EnvironmentValues(IReadOnlyDictionary<string, string> Variables, IReadOnlyDictionary<string, string> Secrets)
{
    public const string ResourceType = "environment";

    public static EnvironmentValues None { get; } = new(new Dictionary<string, string>(), new Dictionary<string, string>());

    public IReadOnlyDictionary<string, ConfigValue> AsOutputs()
    {
        var outputs = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        foreach (var (name, value) in Variables) outputs[name] = ConfigValue.Plain(value);
        foreach (var (name, value) in Secrets) outputs[name] = ConfigValue.Secret(value);
        return outputs;
    }
}
