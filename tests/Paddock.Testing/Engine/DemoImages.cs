using System.Formats.Tar;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Paddock.Testing;

/// <summary>The ~2 MB demo images (static busybox httpd serving "paddock demo vN"), made locally since no
/// public registry is reachable.</summary>
public static class DemoImages
{
    public const string V1 = "localhost/paddock-demo:1";
    public const string V2 = "localhost/paddock-demo:2";

    /// <summary>Imports through the engine API (not the CLI), so it works for an engine we did not start too.</summary>
    public static async Task ImportIfMissingAsync(IDockerClient client, string image, string version)
    {
        try
        {
            await client.Images.InspectImageAsync(image);
            return;
        }
        catch (DockerImageNotFoundException) { }

        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var dir in new[] { "bin/", "www/", "tmp/" })
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, dir) { Mode = (UnixFileMode)Convert.ToInt32("755", 8) });
            await writer.WriteEntryAsync("/bin/busybox", "bin/busybox");
            foreach (var tool in new[] { "sh", "httpd", "echo", "cat", "sleep" })
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, $"bin/{tool}") { LinkName = "busybox" });
            var page = new PaxTarEntry(TarEntryType.RegularFile, "www/index.html")
            {
                DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"paddock demo v{version}\n")),
                Mode = (UnixFileMode)Convert.ToInt32("644", 8),
            };
            await writer.WriteEntryAsync(page);
        }
        tar.Position = 0;
        await client.Images.CreateImageAsync(new ImagesCreateParameters
        {
            FromSrc = "-",
            Repo = image,   // "name:tag": Podman ignores a separate tag on import, Docker accepts both forms
            Changes =
            [
                "ENV PORT=8080",
                "EXPOSE 8080",
                // busybox httpd as PID 1 ignores SIGTERM; the sh in front exits on it, so stops are quick.
                """CMD ["/bin/sh", "-c", "trap \"exit 0\" TERM INT; /bin/httpd -f -p \"${PORT}\" -h /www & wait"]""",
            ],
        }, tar, null, new Progress<JSONMessage>());
    }
}
