namespace Paddock.Integration.Tests.Clusters;

/// <summary>Kubeconfig documents for registration tests. Nothing listens on port 1 of the loopback address, so a
/// cluster registered with <see cref="Unreachable"/> is refused at once and reported unreachable with a reason.</summary>
public static class Kubeconfigs
{
    public const string UnreachableServer = "https://127.0.0.1:1";

    public static string Unreachable(string token = "not-a-real-token", string server = UnreachableServer, string context = "paddock") => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: target
          cluster:
            server: {server}
            insecure-skip-tls-verify: true
        users:
        - name: paddock
          user:
            token: {token}
        contexts:
        - name: {context}
          context:
            cluster: target
            user: paddock
        current-context: {context}
        """;

    public static string WithoutCurrentContext() => Unreachable().Replace("current-context: paddock", "");

    public static string WithoutServer() => Unreachable().Replace($"    server: {UnreachableServer}\n", "");

    public static string WithExecPlugin() => Unreachable().Replace("    token: not-a-real-token", "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /bin/sh");
}
