namespace Paddock.Domain.Names;

/// <summary>The name an environment's resources carry in a backend (namespace, network): <c>{app}-{env}</c>.
/// At most 30 + 1 + 20 = 51 characters, so it stays a valid DNS label.</summary>
public readonly record struct ResourceName
{
    public string Value { get; }

    private ResourceName(string value) => Value = value;

    public static ResourceName For(AppName app, EnvironmentName environment) => new($"{app.Value}-{environment.Value}");

    /// <summary>Null when the derived name is allowed, else why not.</summary>
    public static string? Check(AppName app, EnvironmentName environment) =>
        ReservedNames.Check(For(app, environment).Value);

    public static ResourceName FromTrusted(string value) => new(value);

    public override string ToString() => Value;
}
