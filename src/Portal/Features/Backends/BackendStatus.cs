using Paddock.Domain.Backends;
using Paddock.Runtime.Backends;

namespace Paddock.Portal.Features.Backends;

public sealed record BackendView(string Name, string Kind, bool Reachable, string? Version, string? Reason);

/// <summary>Asks every configured backend whether it answers, all at once, each within its own time limit, so one
/// unreachable engine neither slows the others down nor fails the list.</summary>
public sealed class BackendStatus(BackendRegistry registry, ILogger<BackendStatus> logger)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<IReadOnlyList<BackendView>> DescribeAllAsync(CancellationToken ct)
    {
        var views = await Task.WhenAll(registry.All.Select(backend => DescribeAsync(backend, ct)));
        return views.OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
    }

    public async Task<BackendView> DescribeAsync(IRuntimeBackend backend, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            var info = await backend.DescribeAsync(timeout.Token).WaitAsync(timeout.Token);
            return new BackendView(backend.Name, backend.Kind, info.Reachable, info.Version, info.Reason);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new BackendView(backend.Name, backend.Kind, false, null, $"It did not answer within {Timeout.TotalSeconds:0}s.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Describing backend {Backend} failed", backend.Name);
            return new BackendView(backend.Name, backend.Kind, false, null, e.Message);
        }
    }
}
