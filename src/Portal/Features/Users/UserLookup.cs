using Microsoft.AspNetCore.Identity;
using Paddock.Persistence;

namespace Paddock.Portal.Features.Users;

/// <summary>Finds a user the way people refer to one in requests: by id or by email.</summary>
public sealed class UserLookup(UserManager<PaddockUser> users)
{
    public async Task<PaddockUser?> FindAsync(string? emailOrId)
    {
        if (string.IsNullOrWhiteSpace(emailOrId)) return null;
        var text = emailOrId.Trim();
        return Guid.TryParse(text, out var id) ? await users.FindByIdAsync(id.ToString()) : await users.FindByEmailAsync(text);
    }
}
