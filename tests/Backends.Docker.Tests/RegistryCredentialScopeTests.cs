using System.Text;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker.Tests;

/// <summary>Registry credentials are a secret of one registry: an image on any other host must be pulled without
/// them, and what that host answers must not come back to the user.</summary>
public sealed class RegistryCredentialScopeTests(CapturingRegistry registry) : IClassFixture<CapturingRegistry>, IDisposable
{
    private const string Password = "saved-for-another-registry-42";
    private readonly DockerBackend _backend = new(
        new DockerBackendOptions { Endpoint = registry.Endpoint, StopTimeout = TimeSpan.FromSeconds(2) }, TimeProvider.System);

    private static string Basic(string username, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));

    [PodmanFact]
    public async Task Credentials_saved_for_one_registry_are_not_sent_to_the_host_an_image_names()
    {
        var spec = EngineFixture.NewSpec($"{registry.Address}/x:1") with
        {
            RegistryCredentials = new RegistryCredentials("registry.example.com", "ci", Password),
        };

        var result = await _backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.DoesNotContain(Basic("ci", Password), registry.Authorizations);
        Assert.DoesNotContain(registry.Authorizations, header => header.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes("ci:"))));
    }

    [PodmanFact]
    public async Task Credentials_saved_for_the_image_registry_are_sent_to_it_and_its_answer_is_not_quoted()
    {
        var spec = EngineFixture.NewSpec($"{registry.Address}/y:1") with
        {
            RegistryCredentials = new RegistryCredentials($"http://{registry.Address}/", "ci", Password),
        };
        var recorder = new EventRecorder();

        var result = await _backend.ApplyAsync(spec, recorder, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains(Basic("ci", Password), registry.Authorizations);
        Assert.DoesNotContain(CapturingRegistry.RemoteText, result.Failure!.Reason);
        Assert.DoesNotContain(recorder.Events, e => e.Message.Contains(CapturingRegistry.RemoteText));
        Assert.DoesNotContain(Password, result.Failure.Reason);
    }

    public void Dispose() => _backend.Dispose();
}

/// <summary>A fact that needs the podman binary (the fixture starts its own engine).</summary>
public sealed class PodmanFactAttribute : FactAttribute
{
    public PodmanFactAttribute()
    {
        if (!(Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, "podman"))))
            Skip = "needs podman";
    }
}
