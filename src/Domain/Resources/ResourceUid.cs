using System.Security.Cryptography;
using System.Text;

namespace Paddock.Domain.Resources;

/// <summary>The physical-name seed of a resource: "r" and 19 base-32 characters of a hash of the environment and the
/// resource id. Short enough for Postgres identifiers with a prefix, stable across runs, never reused by another
/// environment.</summary>
public static class ResourceUid
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static string For(Guid environmentId, string resourceId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{environmentId:N}/{resourceId}"));
        var text = new StringBuilder("r", 20);
        for (var i = 0; i < 19; i++) text.Append(Alphabet[hash[i] & 31]);
        return text.ToString();
    }
}
