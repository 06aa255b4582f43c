namespace Paddock.Portal.Features.Catalog;

/// <summary>Installs an entry as <see cref="App"/> (made in <see cref="Team"/> when it does not exist) into
/// <see cref="Environment"/> (made when it does not exist; an environment that exists must hold an install of the
/// same entry: installing again there is an upgrade). Parameters left out keep the environment's last install's
/// values, else take their defaults. <see cref="Stage"/> (default Development) and <see cref="Backend"/> (default
/// docker) are used only when the environment is made.</summary>
public sealed record InstallRequest(
    string? Team,
    string? App,
    string? Environment,
    Dictionary<string, string?>? Parameters = null,
    bool? Apply = null,
    string? Stage = null,
    string? Backend = null);
