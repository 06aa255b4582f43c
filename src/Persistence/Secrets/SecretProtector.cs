using Microsoft.AspNetCore.DataProtection;

namespace Paddock.Persistence.Secrets;

/// <summary>Encrypts secret values (app and environment secrets, cluster kubeconfigs and registry passwords)
/// for storage, through Data Protection so keys rotate without re-encrypting old values by hand.</summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Paddock.Secrets.v1");

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string ciphertext) => _protector.Unprotect(ciphertext);
}
