using Microsoft.AspNetCore.Identity;

namespace Paddock.Persistence;

/// <summary>A local account. Disabling one ends its sessions and tokens at once (the security stamp changes
/// and every request re-checks <see cref="IsDisabled"/>).</summary>
public sealed class PaddockUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";
    public bool IsPlatformAdmin { get; set; }
    public bool IsDisabled { get; set; }
    public DateTime CreatedAt { get; set; }
}
