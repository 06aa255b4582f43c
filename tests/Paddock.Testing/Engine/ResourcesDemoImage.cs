using System.Diagnostics;
using System.Formats.Tar;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Paddock.Testing;

/// <summary>A tiny app that uses a postgres database and a redis cache, made locally like <see cref="DemoImages"/>:
/// static busybox's httpd with a CGI script, plus the host's own <c>psql</c> and <c>redis-cli</c> with the shared
/// libraries <c>ldd</c> names (about 27 MB). It reads <c>DATABASE_URL</c>, <c>REDIS_URL</c> and <c>REDIS_PREFIX</c>
/// (a workload gives them as <c>${resources.db.url}</c>, <c>${resources.cache.url}</c>, <c>${resources.cache.prefix}</c>).
/// <c>GET /</c> answers "paddock resources demo" (its readiness); <c>GET /cgi-bin/store?NOTE</c> inserts NOTE as a row
/// of the table <c>notes</c> and sets the key <c>{prefix}note</c> to it, then answers what both servers hold:
/// <c>postgres: NOTE[,…]</c> and <c>redis: NOTE</c> (or the client's error, so a failure says why); with a volume
/// mounted at <c>/data</c> it also writes NOTE to <c>/data/note</c> and answers <c>volume: NOTE</c>.</summary>
public static class ResourcesDemoImage
{
    public const string Image = "localhost/paddock-resources-demo:2";

    // Only letters, digits and '-' of the note reach SQL and redis, so the script needs no quoting beyond that.
    private const string StoreScript = """
        #!/bin/sh
        note=$(echo "$QUERY_STRING" | tr -cd 'a-zA-Z0-9-')
        [ -n "$note" ] || note=visit
        printf 'Content-Type: text/plain\r\n\r\n'
        stored=$(psql -X -qtA -v ON_ERROR_STOP=1 "$DATABASE_URL" \
          -c "CREATE TABLE IF NOT EXISTS notes (note text NOT NULL)" \
          -c "INSERT INTO notes VALUES ('$note')" \
          -c "SELECT string_agg(note, ',' ORDER BY note) FROM notes" 2>&1)
        echo "postgres: $stored"
        set_reply=$(redis-cli --no-auth-warning -u "$REDIS_URL" SET "${REDIS_PREFIX}note" "$note" 2>&1)
        if [ "$set_reply" = "OK" ]; then
          echo "redis: $(redis-cli --no-auth-warning -u "$REDIS_URL" GET "${REDIS_PREFIX}note" 2>&1)"
        else
          echo "redis: $set_reply"
        fi
        if [ -d /data ]; then
          echo "$note" > /data/note 2>&1
          echo "volume: $(cat /data/note 2>&1)"
        fi
        """;

    /// <summary>Imports the image through the engine API unless it is there; the binaries come from this machine.</summary>
    public static async Task ImportIfMissingAsync(IDockerClient client)
    {
        try
        {
            await client.Images.InspectImageAsync(Image);
            return;
        }
        catch (DockerImageNotFoundException) { }

        var psql = Directory.GetFiles("/usr/lib/postgresql", "psql", SearchOption.AllDirectories).Order(StringComparer.Ordinal).LastOrDefault()
            ?? throw new InvalidOperationException("psql is not installed (/usr/lib/postgresql/*/bin/psql): apt-get install postgresql-client.");
        const string redisCli = "/usr/bin/redis-cli";
        if (!File.Exists(redisCli)) throw new InvalidOperationException("redis-cli is not installed: apt-get install redis-tools.");

        var files = new SortedDictionary<string, string>(StringComparer.Ordinal)   // path in the image → path here
        {
            ["bin/busybox"] = "/bin/busybox",
            ["bin/psql"] = psql,
            ["bin/redis-cli"] = redisCli,
        };
        foreach (var binary in new[] { psql, redisCli })
            foreach (var library in await SharedLibrariesAsync(binary))
                files[library.TrimStart('/')] = library;

        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var directories = files.Keys.Concat(["www/cgi-bin/x", "tmp/x", "etc/x"]).SelectMany(Parents).Distinct().Order(StringComparer.Ordinal);
            foreach (var directory in directories)
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, directory + "/") { Mode = Mode("755") });
            foreach (var (inImage, here) in files)
            {
                // Libraries are often symbolic links: the image gets the file they point at, under the linked name.
                await using var content = File.OpenRead(here);
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, inImage) { DataStream = content, Mode = Mode("755") });
            }
            foreach (var tool in new[] { "sh", "httpd", "echo", "cat", "tr", "printf" })
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, $"bin/{tool}") { LinkName = "busybox" });
            // psql looks its user up by id (for its default user name and home): it exits when /etc/passwd lacks it.
            await WriteTextAsync(writer, "etc/passwd", "root:x:0:0:root:/:/bin/sh\n", "644");
            await WriteTextAsync(writer, "etc/group", "root:x:0:\n", "644");
            await WriteTextAsync(writer, "www/index.html", "paddock resources demo\n", "644");
            await WriteTextAsync(writer, "www/cgi-bin/store", StoreScript.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n", "755");
        }
        tar.Position = 0;
        await client.Images.CreateImageAsync(new ImagesCreateParameters
        {
            FromSrc = "-",
            Repo = Image,
            Changes =
            [
                "ENV PORT=8080",
                "ENV PATH=/bin",
                "EXPOSE 8080",
                """CMD ["/bin/sh", "-c", "trap \"exit 0\" TERM INT; /bin/httpd -f -p \"${PORT}\" -h /www & wait"]""",
            ],
        }, tar, null, new Progress<JSONMessage>());
    }

    /// <summary>The absolute paths <c>ldd</c> prints for <paramref name="binary"/> (the loader included).</summary>
    private static async Task<IReadOnlyList<string>> SharedLibrariesAsync(string binary)
    {
        var start = new ProcessStartInfo("ldd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(binary);
        using var ldd = Process.Start(start) ?? throw new InvalidOperationException("Could not run ldd.");
        var output = await ldd.StandardOutput.ReadToEndAsync();
        await ldd.WaitForExitAsync();
        if (ldd.ExitCode != 0) throw new InvalidOperationException($"ldd {binary} failed: {await ldd.StandardError.ReadToEndAsync()}");
        return output.Split('\n')
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .FirstOrDefault(word => word.StartsWith('/')))
            .OfType<string>()
            .ToList();
    }

    private static IEnumerable<string> Parents(string path)
    {
        var parts = path.Split('/');
        for (var i = 1; i < parts.Length; i++) yield return string.Join('/', parts[..i]);
    }

    private static async Task WriteTextAsync(TarWriter writer, string path, string text, string mode) =>
        await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, path)
        {
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
            Mode = Mode(mode),
        });

    private static UnixFileMode Mode(string octal) => (UnixFileMode)Convert.ToInt32(octal, 8);
}
