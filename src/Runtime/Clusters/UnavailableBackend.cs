using System.Runtime.CompilerServices;
using Paddock.Domain.Backends;
using Paddock.Domain.Names;

namespace Paddock.Runtime.Clusters;

/// <summary>Stands in for a registered cluster whose backend cannot be built in this process (its kubeconfig no
/// longer decrypts, in-cluster credentials outside a cluster): the name still resolves, so environments on it say
/// why they cannot deploy instead of "unknown backend", and the cluster list shows the reason.</summary>
internal sealed class UnavailableBackend(string kind, string name, string reason) : IRuntimeBackend
{
    public string Kind => kind;
    public string Name => name;

    public Task<BackendInfo> DescribeAsync(CancellationToken ct) => Task.FromResult(new BackendInfo(kind, name, false, null, reason));

    public Task<ApplyResult> ApplyAsync(WorkloadSpec spec, IProgress<BackendEvent> progress, CancellationToken ct) =>
        Task.FromResult(ApplyResult.Failed(ApplyFailureKind.EngineUnreachable, reason));

    public Task RemoveOthersAsync(Guid environmentId, Guid keepDeploymentId, CancellationToken ct) => throw Unavailable();

    public Task RetireAsync(Guid environmentId, Guid deploymentId, CancellationToken ct) => throw Unavailable();

    public Task<ObservedState> ObserveAsync(Guid environmentId, CancellationToken ct) => throw Unavailable();

    public async IAsyncEnumerable<BackendEvent> WatchAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        throw Unavailable();
#pragma warning disable CS0162 // an async iterator needs a yield to be one
        yield break;
#pragma warning restore CS0162
    }

    public async IAsyncEnumerable<LogLine> LogsAsync(Guid environmentId, int tail, bool follow, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        throw Unavailable();
#pragma warning disable CS0162
        yield break;
#pragma warning restore CS0162
    }

    public Task TearDownAsync(Guid environmentId, ResourceName resourceName, CancellationToken ct) => throw Unavailable();

    private InvalidOperationException Unavailable() => new($"Backend '{name}' is unavailable: {reason}");
}
