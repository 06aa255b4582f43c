using System.Threading.RateLimiting;

namespace Paddock.Portal.Features.Webhooks;

/// <summary>Per-hook fixed window (<c>Webhooks:PermitsPerMinute</c>, default 60): a chatty or hostile sender slows
/// only its own hook. Checked before the body is read or any signature computed.</summary>
public sealed class WebhookRateLimiter(IConfiguration configuration) : IDisposable
{
    private readonly PartitionedRateLimiter<Guid> _limiter = PartitionedRateLimiter.Create<Guid, Guid>(hookId =>
        RateLimitPartition.GetFixedWindowLimiter(hookId, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = configuration.GetValue("Webhooks:PermitsPerMinute", 60),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public bool TryAcquire(Guid hookId)
    {
        using var lease = _limiter.AttemptAcquire(hookId);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
