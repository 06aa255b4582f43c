using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Paddock.Domain.Tokens;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Portal.Api;

namespace Paddock.Portal.Identity;

/// <summary>On first start with no users, creates the platform admin with a generated password and an API token,
/// and writes both to the data directory (<c>admin-password</c>, <c>admin.token</c>). Never a default password.</summary>
public sealed class AdminBootstrap(IServiceScopeFactory scopes, IOptions<PaddockOptions> options, IConfiguration configuration, ILogger<AdminBootstrap> logger)
    : IHostedService
{
    public const string PasswordFile = "admin-password";
    public const string TokenFile = "admin.token";

    public async Task StartAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        if (await db.Users.AnyAsync(ct)) return;

        var users = scope.ServiceProvider.GetRequiredService<UserManager<PaddockUser>>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var email = configuration["Paddock:AdminEmail"] ?? "admin@localhost";
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
        var now = clock.GetUtcNow().UtcDateTime;
        var admin = new PaddockUser
        {
            UserName = email, Email = email, EmailConfirmed = true,
            DisplayName = "Administrator", IsPlatformAdmin = true, CreatedAt = now,
        };
        var caller = Caller.System("bootstrap");

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var created = await users.CreateAsync(admin, password);
        if (!created.Succeeded)
        {
            // Another portal process may have won the race; that is fine.
            logger.LogWarning("Could not create the bootstrap admin: {Errors}", string.Join("; ", created.Errors.Select(e => e.Description)));
            return;
        }
        var (token, secret) = ApiToken.ForUser(admin.Id, "bootstrap", now, expiresAt: null, caller.Actor.Id);
        db.ApiTokens.Add(token);
        await scope.ServiceProvider.GetRequiredService<AuditLog>().SaveChangesAsync(
        [
            caller.Audit("user.created", "user", admin.Id.ToString(), null, null, null, new { email, isPlatformAdmin = true }),
            caller.Audit("token.created", "token", token.Id.ToString(), null, null, null, new { token.Name, userId = admin.Id }),
        ], ct);
        await transaction.CommitAsync(ct);

        var directory = Path.GetFullPath(options.Value.DataDirectory);
        Directory.CreateDirectory(directory);
        await WriteSecretFileAsync(Path.Combine(directory, PasswordFile), password, ct);
        await WriteSecretFileAsync(Path.Combine(directory, TokenFile), secret, ct);
        logger.LogWarning("Created the platform admin {Email}; its password is in {PasswordFile} and an API token in {TokenFile}",
            email, Path.Combine(directory, PasswordFile), Path.Combine(directory, TokenFile));
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    private static async Task WriteSecretFileAsync(string path, string value, CancellationToken ct)
    {
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var stream = new FileStream(path, fileOptions);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(value.AsMemory(), ct);
    }
}
