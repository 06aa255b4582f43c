using System.Collections.Concurrent;
using System.Diagnostics;
using Paddock.Domain.Deployments;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Deployments;

[Collection(WorkerCollection.Name)]
public sealed class ZeroDowntimeTests(WorkerWorld world)
{
    [Fact]
    public async Task A_redeploy_fails_no_request_to_the_stable_url_and_ends_serving_the_new_version()
    {
        var environment = await world.CreateEnvironmentAsync();
        var first = await world.QueueDeploymentAsync(environment.Id);
        await world.DeployAsync(first);
        var host = $"{environment.ResourceName}.localhost";
        Assert.Equal("paddock demo v1\n", await world.GetThroughEdgeAsync(host));

        using var stop = new CancellationTokenSource();
        var failures = new ConcurrentQueue<string>();
        var answers = new ConcurrentQueue<string>();
        // A bounded loop: four clients, at most 60 s, stopped once the deploy is done and v2 was seen.
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
            var clock = Stopwatch.StartNew();
            while (!stop.IsCancellationRequested && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, world.Edge.Address);
                    request.Headers.Host = host;
                    using var response = await http.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.IsSuccessStatusCode) answers.Enqueue(body);
                    else failures.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {(int)response.StatusCode} {body}");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
                {
                    // A timeout counts as a failure too (and must not end this client's loop unseen).
                    failures.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {e.GetType().Name}: {e.Message}");
                }
            }
        })).ToList();

        var second = await world.QueueDeploymentAsync(environment.Id, image: DemoImages.V2);
        await world.DeployAsync(second);
        var deployed = DateTime.UtcNow;
        var seenBefore = answers.Count;
        var more = await WorkerWorld.HoldsWithinAsync(() => Task.FromResult(answers.Count > seenBefore + 50), seconds: 30);
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Equal(DeploymentStatus.Succeeded, (await world.DeploymentAsync(second)).Status);
        // When some fail, the times say at which step of the deployment (its events follow) they did.
        Assert.True(failures.IsEmpty && more, $"{failures.Count} failed requests, {answers.Count - seenBefore} answers after the deploy "
            + $"ended at {deployed:HH:mm:ss.fff}; first failures: {string.Join("; ", failures.Take(5))}\nevents:\n"
            + string.Join("\n", (await world.EventsAsync(environment.Id)).Select(e => $"{e.At:HH:mm:ss.fff} {e.Phase}: {e.Message}")));
        Assert.Contains("paddock demo v1\n", answers);
        Assert.Equal("paddock demo v2\n", answers.Last());
        Assert.Single(await world.ContainersAsync(environment.Id));
    }
}
