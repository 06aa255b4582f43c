using System.Net;
using System.Net.Sockets;
using k8s.Autorest;
using k8s.Models;

namespace Paddock.Backends.Kubernetes;

/// <summary>Why a call failed in a way the deployment should report rather than throw.</summary>
internal sealed class ClusterFailure(Paddock.Domain.Backends.ApplyFailureKind kind, string message) : Exception(message)
{
    public Paddock.Domain.Backends.ApplyFailureKind Kind { get; } = kind;
}

/// <summary>Calls the API server, retrying with doubling pauses while it does not answer at all, and turns
/// "no answer" and "credentials refused" into <see cref="ClusterFailure"/>s with words a developer can act on.</summary>
internal sealed class KubeCalls(KubernetesBackendOptions options, Uri server)
{
    public async Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        var delay = options.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(ct);
            }
            catch (Exception e) when (IsUnreachable(e, ct) && attempt < options.ConnectAttempts)
            {
                await Task.Delay(delay, ct);
                delay *= 2;
            }
            catch (Exception e) when (IsUnreachable(e, ct))
            {
                throw new ClusterFailure(Paddock.Domain.Backends.ApplyFailureKind.EngineUnreachable,
                    $"The cluster at {server} is unreachable ({attempt} tries while trying to {what}): {Innermost(e).Message}");
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new ClusterFailure(Paddock.Domain.Backends.ApplyFailureKind.EngineUnreachable, CredentialsRefused(server));
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden)
            {
                throw new ClusterFailure(Paddock.Domain.Backends.ApplyFailureKind.EngineRejected,
                    $"The cluster refused to let Paddock {what} (403 Forbidden): {StatusMessage(e)}");
            }
        }
    }

    public Task RunAsync(string what, Func<CancellationToken, Task> call, CancellationToken ct) =>
        RunAsync(what, async token =>
        {
            await call(token);
            return true;
        }, ct);

    public static string CredentialsRefused(Uri server) =>
        $"The cluster at {server} refused Paddock's credentials (401 Unauthorized): check the kubeconfig's token or client certificate.";

    public static bool IsNotFound(Exception e) => e is HttpOperationException { Response.StatusCode: HttpStatusCode.NotFound };

    public static bool IsConflict(Exception e) => e is HttpOperationException { Response.StatusCode: HttpStatusCode.Conflict };

    public static bool IsUnreachable(Exception e, CancellationToken ct) =>
        !ct.IsCancellationRequested && e is HttpRequestException or SocketException or TaskCanceledException or IOException;

    /// <summary>The API server's own message from the Status object it answered with.</summary>
    public static string StatusMessage(HttpOperationException e)
    {
        try
        {
            var status = k8s.KubernetesJson.Deserialize<V1Status>(e.Response.Content);
            if (status?.Message is { Length: > 0 } message) return message;
        }
        catch (System.Text.Json.JsonException)
        {
            // Not a Status object: fall back to the raw answer.
        }
        return string.IsNullOrWhiteSpace(e.Response.Content) ? e.Message : e.Response.Content;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}
