namespace Paddock.Portal.Features.Sources;

/// <summary>Configuration section <c>Paddock:Git</c>: how environments follow git.</summary>
public sealed class GitSettings
{
    public const string Section = "Paddock:Git";

    /// <summary>How often each repository is fetched (once per repository, whatever number of environments follow it).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Up to this much is added to or taken from each wait, so many repositories do not fetch in step.</summary>
    public TimeSpan PollJitter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Whether the poller runs at all (tests drive it by hand).</summary>
    public bool Poll { get; set; } = true;

    /// <summary>How many commits of history a fetch brings (shallow).</summary>
    public int FetchDepth { get; set; } = 20;

    /// <summary>A repository's cache may not grow beyond this; a larger one fails with a clear error.</summary>
    public long MaxRepositoryBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>One git command may not take longer.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The largest workload or override file read from a commit.</summary>
    public int MaxFileBytes { get; set; } = 1024 * 1024;
}
