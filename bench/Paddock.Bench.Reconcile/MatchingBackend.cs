using Paddock.Domain.Backends;
using Paddock.Domain.Names;

namespace Paddock.Bench.Reconcile;

/// <summary>An in-process backend whose observed state is exactly the desired one, for measuring what a full resync
/// costs Paddock itself (the database side and the decision) with nothing to repair. Used only by this benchmark.</summary>
public sealed class MatchingBackend(string name, IReadOnlyDictionary<Guid, ObservedState> world) : IRuntimeBackend
{
    public string Kind => "matching";
    public string Name => name;

    public Task<IReadOnlyDictionary<Guid, ObservedState>?> ObserveAllAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyDictionary<Guid, ObservedState>?>(world);

    public Task<ObservedState> ObserveAsync(Guid environmentId, CancellationToken ct) =>
        Task.FromResult(world.GetValueOrDefault(environmentId) ?? new ObservedState(environmentId, []));

    public Task<BackendInfo> DescribeAsync(CancellationToken ct) => Task.FromResult(new BackendInfo(Kind, Name, true, "bench", null));
    public Task<ApplyResult> ApplyAsync(WorkloadSpec spec, IProgress<BackendEvent> progress, CancellationToken ct) => throw Unexpected();
    public Task RemoveOthersAsync(Guid environmentId, Guid keepDeploymentId, CancellationToken ct) => throw Unexpected();
    public Task RetireAsync(Guid environmentId, Guid deploymentId, CancellationToken ct) => throw Unexpected();
    public IAsyncEnumerable<BackendEvent> WatchAsync(CancellationToken ct) => throw Unexpected();
    public IAsyncEnumerable<LogLine> LogsAsync(Guid environmentId, int tail, bool follow, CancellationToken ct) => throw Unexpected();
    public Task TearDownAsync(Guid environmentId, ResourceName resourceName, CancellationToken ct) => throw Unexpected();

    private static InvalidOperationException Unexpected() => new("A matching world needs no repair; the resync should not act.");
}
