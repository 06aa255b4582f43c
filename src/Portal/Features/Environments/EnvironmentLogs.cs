using System.Runtime.CompilerServices;
using Paddock.Domain.Backends;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Environments;
using Paddock.Persistence;
using Paddock.Persistence.Secrets;
using Paddock.Portal.Api;
using Paddock.Runtime.Backends;

namespace Paddock.Portal.Features.Environments;

/// <summary>Where an environment's log lines come from; <see cref="UnavailableReason"/> says why they cannot be read now.</summary>
public sealed record LogSource(IRuntimeBackend? Backend, Guid EnvironmentId, string? UnavailableReason)
{
    /// <summary>The serving deployment's secret values, kept out of the lines shown (an app may print its own).</summary>
    public SecretRedactor Redactor { get; init; } = new([]);

    /// <summary>An environment that never started a deployment has no instances, hence no lines; no need to ask the engine.</summary>
    public bool IsEmpty => Backend is null && UnavailableReason is null;

    public async IAsyncEnumerable<LogLineView> ReadAsync(int tail, bool follow, [EnumeratorCancellation] CancellationToken ct)
    {
        if (Backend is null) yield break;
        await foreach (var line in Backend.LogsAsync(EnvironmentId, tail, follow, ct))
            yield return new LogLineView(line.InstanceName, line.Stream.ToString().ToLowerInvariant(), line.At, Redactor.Redact(line.Text));
    }
}

/// <summary>Reading an environment's instance logs from its backend, for the API and the UI.</summary>
public sealed class EnvironmentLogs(EnvironmentLookup lookup, BackendRegistry backends, PaddockDbContext db, SecretProtector protector)
{
    public const int DefaultTail = 100;
    public const int MaxTail = 10_000;

    public async Task<Outcome<LogSource>> OpenAsync(Caller caller, string appName, string envName, CancellationToken ct)
    {
        var (target, notFound) = await lookup.FindAsync(caller, appName, envName, ct);
        if (target is null) return notFound!;
        var env = target.Env;
        if (env.Status == EnvironmentStatus.Pending && env.CurrentDeploymentId is null) return new LogSource(null, env.Id, null);
        if (backends.Find(env.Backend) is not { } backend)
            return new LogSource(null, env.Id, $"The environment's backend '{env.Backend}' is not configured in this portal.");
        var info = await backend.DescribeAsync(ct);
        if (!info.Reachable) return new LogSource(null, env.Id, info.Reason ?? $"Backend '{backend.Name}' is unreachable.");
        return new LogSource(backend, env.Id, null) { Redactor = await RedactorAsync(env.CurrentDeploymentId, ct) };
    }

    private async Task<SecretRedactor> RedactorAsync(Guid? deploymentId, CancellationToken ct)
    {
        if (deploymentId is null) return new SecretRedactor([]);
        var snapshot = await db.Deployments.AsNoTracking().Where(d => d.Id == deploymentId).Select(d => d.Snapshot).SingleOrDefaultAsync(ct);
        var ids = snapshot?.Secrets.Select(s => s.SecretVersionId).ToList() ?? [];
        if (ids.Count == 0) return new SecretRedactor([]);
        var ciphertexts = await db.SecretVersions.AsNoTracking()
            .Where(v => ids.Contains(v.Id) && v.Ciphertext != null).Select(v => v.Ciphertext!).ToListAsync(ct);
        return new SecretRedactor(ciphertexts.Select(protector.Unprotect));
    }

    public static int? ParseTail(string? text, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(text)) return DefaultTail;
        if (int.TryParse(text, out var tail) && tail is >= 0 and <= MaxTail) return tail;
        errors.Add("tail", $"A whole number from 0 to {MaxTail}.");
        return null;
    }
}
