using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Paddock.Workers.Rollout;

/// <summary>Runs retirements in the background of the worker process, apart from Hangfire's workers: a retirement
/// mostly waits (a drain, then an instance's grace period), and on a job thread it would keep the next deployment's
/// job from being picked up. Nothing is lost when the process stops half-way: the deployment stays retiring in the
/// database and the sweeper enqueues its retirement again.</summary>
public sealed class RetirementRunner(IServiceScopeFactory scopes, ILogger<RetirementRunner> logger) : IAsyncDisposable, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Guid, Task> _running = new();

    /// <summary>Starts retiring the deployment right after the switch away from it; a retirement already running for
    /// it is left to finish.</summary>
    public void Start(Guid deploymentId)
    {
        if (_stopping.IsCancellationRequested || _running.ContainsKey(deploymentId)) return;
        _running[deploymentId] = Task.Run(() => RunAsync(deploymentId));
    }

    /// <summary>Completes once every retirement started so far has ended.</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_running.Values);

    private async Task RunAsync(Guid deploymentId)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<Retirement>().RunAsync(deploymentId, justSwitched: true, _stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The process stops: the sweeper takes the retirement up again.
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Retiring deployment {DeploymentId} failed; the sweeper takes it up again", deploymentId);
        }
        finally
        {
            _running.TryRemove(deploymentId, out _);
        }
    }

    /// <summary>Stops the retirements under way and waits until they have let go.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await WhenIdleAsync();
    }

    public void Dispose() => _stopping.Cancel();
}
