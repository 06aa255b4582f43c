using System.Diagnostics;

namespace Paddock.E2E.Tests.Infrastructure;

/// <summary>The published output the browser tests run Paddock from: <c>PADDOCK_TEST_PUBLISH_DIR</c>, which
/// ./test.sh fills once with <c>apps_publish</c> (scripts/lib/apps.sh), as ./run.sh does. Without it (a plain
/// <c>dotnet test</c>), the same function publishes into a temporary folder once per test run.</summary>
public static class PublishedApps
{
    public const string Variable = "PADDOCK_TEST_PUBLISH_DIR";

    private static readonly Lazy<string> Published = new(PublishOnce);

    public static string Directory => Published.Value;

    private static string PublishOnce()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(given)) return given;

        var output = System.IO.Directory.CreateTempSubdirectory("paddock-e2e-publish-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { System.IO.Directory.Delete(output, recursive: true); } catch (IOException) { }
        };
        var root = RepositoryRoot.Path;
        // APPS_PUBLISH_BUILD: build while publishing, since nothing says the Release build is current.
        var start = new ProcessStartInfo("bash", ["-c", """. scripts/lib/common.sh && . scripts/lib/apps.sh && apps_publish "$1" "$2" "$2/publish.log" """, "publish", root, output])
        {
            WorkingDirectory = root,
            RedirectStandardError = true,
            Environment = { ["APPS_PUBLISH_BUILD"] = "1" },
        };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"Publishing the apps for the browser tests failed: {errors}");
        return output;
    }
}

public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "run.sh"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("run.sh not found above the test binaries.");
    }
}
