using System.Globalization;
using Npgsql;
using Paddock.Domain.Resources;

namespace Paddock.Provisioners.Postgres;

/// <summary>The settings of a postgres class: the server Paddock creates databases on and the admin role it logs in
/// as. Values: <c>host</c>, <c>port</c>, <c>username</c> (the admin role), <c>database</c> (the maintenance database
/// it connects to), optionally <c>containerHost</c> (<see cref="ContainerHosts"/>); secret: <c>password</c>
/// (optional, for a server that trusts the admin).</summary>
public sealed record PostgresClass(string Host, int Port, string Username, string Database, string? Password, string? ContainerHost = null)
{
    public const string HostKey = "host";
    public const string PortKey = "port";
    public const string UsernameKey = "username";
    public const string DatabaseKey = "database";
    public const string PasswordKey = "password";
    public const string ContainerHostKey = ContainerHosts.Setting;

    /// <summary>Errors by setting name; empty when the settings describe a server.</summary>
    public static IReadOnlyDictionary<string, string> Validate(ResourceClassSettings settings)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in settings.Values.Keys.Where(k => k is not (HostKey or PortKey or UsernameKey or DatabaseKey or ContainerHostKey)))
            errors[key] = $"A postgres class has no setting '{key}' (values: host, port, username, database, containerHost).";
        foreach (var key in settings.Secrets.Keys.Where(k => k != PasswordKey))
            errors[key] = $"A postgres class has no secret '{key}' (secrets: password).";
        if (string.IsNullOrWhiteSpace(settings.Values.GetValueOrDefault(HostKey))) errors[HostKey] = "The server's host name or address is required.";
        if (!int.TryParse(settings.Values.GetValueOrDefault(PortKey), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            errors[PortKey] = "The port is a number from 1 to 65535.";
        if (string.IsNullOrWhiteSpace(settings.Values.GetValueOrDefault(UsernameKey)))
            errors[UsernameKey] = "The admin role Paddock logs in as is required (it creates roles and databases).";
        if (string.IsNullOrWhiteSpace(settings.Values.GetValueOrDefault(DatabaseKey)))
            errors[DatabaseKey] = "The maintenance database the admin connects to is required (usually postgres).";
        if (ContainerHosts.Validate(settings) is { } containerHost) errors[ContainerHostKey] = containerHost;
        return errors;
    }

    public static PostgresClass From(ResourceClassSettings settings) => new(
        settings.Values[HostKey],
        int.Parse(settings.Values[PortKey], NumberStyles.None, CultureInfo.InvariantCulture),
        settings.Values[UsernameKey],
        settings.Values[DatabaseKey],
        settings.Secrets.GetValueOrDefault(PasswordKey),
        ContainerHosts.Of(settings));

    /// <summary>The host the app's containers connect to (what the outputs say).</summary>
    public string HostForContainers => ContainerHost ?? Host;

    /// <summary>The admin's connection to <paramref name="database"/> (the maintenance database by default). No pooling:
    /// provisioning is rare, and a pooled connection would keep a session open in a database about to be dropped.</summary>
    public string AdminConnectionString(string? database = null) => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = Username,
        Password = Password,
        Database = database ?? Database,
        Pooling = false,
        Timeout = 5,
        CommandTimeout = 60,
    }.ConnectionString;

    public string Describe => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
