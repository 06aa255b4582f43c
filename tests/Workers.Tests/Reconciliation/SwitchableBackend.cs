using System.Runtime.CompilerServices;
using Paddock.Domain.Backends;
using Paddock.Domain.Names;

namespace Paddock.Workers.Tests.Reconciliation;

/// <summary>The real Docker backend behind a switch: <see cref="Down"/> plays an engine that stopped answering
/// (every call fails as an unreachable socket would, running watches break), and switching back brings it back.</summary>
public sealed class SwitchableBackend(IRuntimeBackend real) : IRuntimeBackend, IDisposable
{
    private CancellationTokenSource _outage = new();
    private volatile bool _down;

    public bool Down
    {
        get => _down;
        set
        {
            _down = value;
            if (!value) return;
            var broken = _outage;
            _outage = new CancellationTokenSource();
            broken.Cancel();
        }
    }

    public string Kind => real.Kind;
    public string Name => real.Name;

    private void ThrowIfDown()
    {
        if (_down) throw new HttpRequestException("Connection refused (the test switched the engine off)");
    }

    public Task<BackendInfo> DescribeAsync(CancellationToken ct) =>
        _down ? Task.FromResult(new BackendInfo(Kind, Name, false, null, "switched off")) : real.DescribeAsync(ct);

    public Task<ApplyResult> ApplyAsync(WorkloadSpec spec, IProgress<BackendEvent> progress, CancellationToken ct)
    {
        ThrowIfDown();
        return real.ApplyAsync(spec, progress, ct);
    }

    public Task RemoveOthersAsync(Guid environmentId, Guid keepDeploymentId, CancellationToken ct)
    {
        ThrowIfDown();
        return real.RemoveOthersAsync(environmentId, keepDeploymentId, ct);
    }

    public Task RetireAsync(Guid environmentId, Guid deploymentId, CancellationToken ct)
    {
        ThrowIfDown();
        return real.RetireAsync(environmentId, deploymentId, ct);
    }

    public Task<ObservedState> ObserveAsync(Guid environmentId, CancellationToken ct)
    {
        ThrowIfDown();
        return real.ObserveAsync(environmentId, ct);
    }

    public Task<IReadOnlyDictionary<Guid, ObservedState>?> ObserveAllAsync(CancellationToken ct)
    {
        ThrowIfDown();
        return real.ObserveAllAsync(ct);
    }

    public Task RemoveInstancesAsync(Guid environmentId, IReadOnlyCollection<string> instanceIds, CancellationToken ct)
    {
        ThrowIfDown();
        return real.RemoveInstancesAsync(environmentId, instanceIds, ct);
    }

    public async IAsyncEnumerable<BackendEvent> WatchAsync([EnumeratorCancellation] CancellationToken ct)
    {
        ThrowIfDown();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _outage.Token);
        var events = real.WatchAsync(linked.Token).GetAsyncEnumerator(linked.Token);
        try
        {
            while (true)
            {
                try
                {
                    if (!await events.MoveNextAsync()) yield break;
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new HttpRequestException("The engine's event stream broke (the test switched the engine off)");
                }
                yield return events.Current;
            }
        }
        finally
        {
            await events.DisposeAsync();
        }
    }

    public IAsyncEnumerable<LogLine> LogsAsync(Guid environmentId, int tail, bool follow, CancellationToken ct)
    {
        ThrowIfDown();
        return real.LogsAsync(environmentId, tail, follow, ct);
    }

    public Task TearDownAsync(Guid environmentId, ResourceName resourceName, CancellationToken ct)
    {
        ThrowIfDown();
        return real.TearDownAsync(environmentId, resourceName, ct);
    }

    public void Dispose() => (real as IDisposable)?.Dispose();
}
