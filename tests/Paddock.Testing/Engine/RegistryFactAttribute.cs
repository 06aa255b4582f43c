namespace Paddock.Testing;

/// <summary>A fact that runs only where the registry tools are installed (test.sh does not install them).</summary>
public sealed class RegistryFactAttribute : FactAttribute
{
    public RegistryFactAttribute()
    {
        if (!OnPath("docker-registry") || !OnPath("htpasswd"))
            Skip = "needs docker-registry and htpasswd (apt-get install docker-registry apache2-utils)";
    }

    private static bool OnPath(string file) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, file)));
}
