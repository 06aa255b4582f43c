using Yarp.ReverseProxy;

namespace Paddock.Edge.Routing;

/// <summary>The first step of the proxy pipeline: sends the request to its host's (and path's) cluster, or answers the
/// unknown-host page. Reads the table YARP has applied, so a host is served as soon as (and not before) its
/// cluster exists.</summary>
internal static class HostSelection
{
    public static async Task SelectClusterByHost(HttpContext http, Func<Task> next)
    {
        var table = http.RequestServices.GetRequiredService<EdgeConfigProvider>().AppliedTable;
        var host = http.Request.Host.Host;
        if (table.ClusterFor(host, http.Request.Path.Value ?? "/") is { } clusterId
            && http.RequestServices.GetRequiredService<IProxyStateLookup>().TryGetCluster(clusterId, out var cluster))
        {
            http.ReassignProxyRequest(cluster);
            await next();
            return;
        }
        http.Response.StatusCode = StatusCodes.Status404NotFound;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync($"No environment at {host}\n");
    }
}
