using System.Globalization;
using System.Net;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Paddock.Backends.Docker;
using Paddock.Persistence;
using Paddock.Provisioners;
using Paddock.Runtime.Backends;

namespace Paddock.Workers.Resources;

/// <summary>
/// Makes resource servers that listen on the host's loopback only reachable from the app's containers, without
/// opening them to the outside: for every resource class whose <c>host</c> is a loopback address and which names a
/// <c>containerHost</c> (<see cref="ContainerHosts"/>), a listener on the gateway of each of Paddock's networks on
/// the Docker engines, at the class's port, relays to the server. Containers reach their network's gateway as
/// <c>host.containers.internal</c> (Podman writes that name into each container's <c>/etc/hosts</c>); a gateway
/// address exists only on this host, so nothing outside the machine reaches the servers through it.
/// The set of listeners follows the classes and networks: again at each container creation the engines report
/// (the container's network exists by then and the container has not started yet), and every
/// <see cref="ResyncInterval"/>.
/// </summary>
public sealed class ContainerHostRelay(IServiceScopeFactory scopes, BackendRegistry backends, ILogger<ContainerHostRelay> logger) : BackgroundService
{
    public static readonly TimeSpan ResyncInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan WatchRetry = TimeSpan.FromSeconds(5);

    private readonly Dictionary<(IPEndPoint Address, IPEndPoint Target), GatewayListener> _listeners = [];
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var engines = backends.All.OfType<DockerBackend>().ToList();
        if (engines.Count == 0) return;
        var watches = engines.Select(engine => WatchAsync(engine, stoppingToken)).ToList();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await SyncAsync(engines, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("The container-host relay could not read the classes or networks: {Reason}", e.Message);
                }
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wait.CancelAfter(ResyncInterval);
                try { await _wake.Reader.WaitToReadAsync(wait.Token); }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
                _wake.Reader.TryRead(out _);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            foreach (var listener in _listeners.Values) await listener.DisposeAsync();
            _listeners.Clear();
            await Task.WhenAll(watches);
        }
    }

    private async Task WatchAsync(DockerBackend engine, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await engine.WatchContainerCreationsAsync(() => _wake.Writer.TryWrite(true), ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                logger.LogDebug("Watching {Backend} for new containers failed: {Reason}", engine.Name, e.Message);
            }
            try { await Task.Delay(WatchRetry, ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    private async Task SyncAsync(IReadOnlyList<DockerBackend> engines, CancellationToken ct)
    {
        var targets = await LoopbackTargetsAsync(ct);
        var wanted = new HashSet<(IPEndPoint Address, IPEndPoint Target)>();
        if (targets.Count > 0)
        {
            foreach (var engine in engines)
            {
                IReadOnlyList<IPAddress> gateways;
                try { gateways = await engine.NetworkGatewaysAsync(ct); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // An engine that does not answer now keeps the listeners it had: its containers may still run.
                    logger.LogDebug("Listing the networks of {Backend} failed: {Reason}", engine.Name, e.Message);
                    wanted.UnionWith(_listeners.Keys);
                    continue;
                }
                foreach (var gateway in gateways)
                foreach (var target in targets)
                    wanted.Add((new IPEndPoint(gateway, target.Port), target));
            }
        }

        foreach (var stale in _listeners.Keys.Where(key => !wanted.Contains(key)).ToList())
        {
            await _listeners[stale].DisposeAsync();
            _listeners.Remove(stale);
            logger.LogInformation("Stopped relaying {Address} to {Target}", stale.Address, stale.Target);
        }
        foreach (var key in wanted.Where(key => !_listeners.ContainsKey(key)))
        {
            try
            {
                _listeners[key] = GatewayListener.Open(key.Address, key.Target, logger);
                logger.LogInformation("Relaying {Address} to {Target} for containers", key.Address, key.Target);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                logger.LogWarning("Could not relay {Address} to {Target}: {Reason}", key.Address, key.Target, e.Message);
            }
        }
    }

    /// <summary>The loopback servers of classes that name a container host.</summary>
    private async Task<IReadOnlyList<IPEndPoint>> LoopbackTargetsAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        var classes = await db.ResourceClasses.AsNoTracking().Select(c => c.Values).ToListAsync(ct);
        var targets = new HashSet<IPEndPoint>();
        foreach (var values in classes)
        {
            if (!values.ContainsKey(ContainerHosts.Setting)) continue;
            if (!values.TryGetValue("host", out var host) || !values.TryGetValue("port", out var portText)) continue;
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535) continue;
            var address = host.Trim() == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(host.Trim(), out var parsed) ? parsed : null;
            if (address is not null && IPAddress.IsLoopback(address)) targets.Add(new IPEndPoint(address, port));
        }
        // One listener per gateway and port: two loopback servers on one port (127.0.0.1 and 127.0.0.2) cannot both be
        // relayed there, and the first class wins.
        return [.. targets.DistinctBy(t => t.Port)];
    }
}
