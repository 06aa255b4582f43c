using Paddock.Portal.Api;
using Paddock.Portal.Features.Applications;

namespace Paddock.Portal.Components.Shared;

/// <summary>What a form holds for a set of registry credentials. The password is write-only: the form never holds
/// the stored one, only what the user types.</summary>
public sealed class RegistryForm
{
    public string? Server { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    public bool Remove { get; set; }

    public void Load(RegistryCredentialsView? stored) => (Server, Username, Password, Remove) = (stored?.Server, stored?.Username, null, false);

    public bool Entered => !string.IsNullOrWhiteSpace(Server) || !string.IsNullOrWhiteSpace(Username) || !string.IsNullOrEmpty(Password);

    public RegistryCredentialsRequest Request() => new(OptionalText.OrNull(Server), OptionalText.OrNull(Username), Password);

    /// <summary>Unchanged fields and no password typed: keep what is stored. Anything else replaces it as a whole
    /// (the API then asks for all three), or removes it.</summary>
    public Optional<RegistryCredentialsRequest?> Change(RegistryCredentialsView? stored)
    {
        if (Remove) return stored is null ? Optional<RegistryCredentialsRequest?>.Absent : new Optional<RegistryCredentialsRequest?>(true, null);
        var unchanged = OptionalText.OrNull(Server) == stored?.Server && OptionalText.OrNull(Username) == stored?.Username && string.IsNullOrEmpty(Password);
        return unchanged ? Optional<RegistryCredentialsRequest?>.Absent : Request();
    }
}
