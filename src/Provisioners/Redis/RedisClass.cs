using System.Globalization;
using Paddock.Domain.Resources;

namespace Paddock.Provisioners.Redis;

/// <summary>A redis class's settings: the server (<c>host</c>, <c>port</c>) and the ACL user Paddock administers it
/// as (<c>username</c>, and the secret <c>password</c>). That user needs the ACL commands, SCAN and UNLINK on every
/// key. Optionally <c>containerHost</c>, the address the app's containers use instead (<see cref="ContainerHosts"/>).</summary>
internal sealed record RedisClass(string Host, int Port, string Username, string Password, string? ContainerHost = null)
{
    public const string HostSetting = "host";
    public const string PortSetting = "port";
    public const string UsernameSetting = "username";
    public const string PasswordSecret = "password";

    public static IReadOnlyDictionary<string, string> Validate(ResourceClassSettings settings)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(settings.Values.GetValueOrDefault(HostSetting)))
            errors[HostSetting] = "The redis server's host name or address is required.";
        if (!TryParsePort(settings.Values.GetValueOrDefault(PortSetting), out _))
            errors[PortSetting] = "The port must be a number from 1 to 65535.";
        if (string.IsNullOrWhiteSpace(settings.Values.GetValueOrDefault(UsernameSetting)))
            errors[UsernameSetting] = "The ACL user Paddock administers the server as is required.";
        if (string.IsNullOrEmpty(settings.Secrets.GetValueOrDefault(PasswordSecret)))
            errors[PasswordSecret] = "The admin user's password is required (a secret).";
        if (ContainerHosts.Validate(settings) is { } containerHost) errors[ContainerHosts.Setting] = containerHost;
        return errors;
    }

    /// <summary>The class's settings, or null when they are not valid (an admin saved them past validation).</summary>
    public static RedisClass? From(ResourceClassSettings settings)
    {
        if (Validate(settings).Count > 0 || !TryParsePort(settings.Values[PortSetting], out var port)) return null;
        return new RedisClass(settings.Values[HostSetting].Trim(), port, settings.Values[UsernameSetting].Trim(),
            settings.Secrets[PasswordSecret], ContainerHosts.Of(settings));
    }

    /// <summary>The host the app's containers connect to (what the outputs say).</summary>
    public string HostForContainers => ContainerHost ?? Host;

    public string Address => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    private static bool TryParsePort(string? text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
}
