namespace Paddock.Jobs;

/// <summary>What Paddock's own SQL relies on inside Hangfire.PostgreSql, which the library does not promise as an API:
/// the columns of <c>job</c>, <c>state</c> and <c>jobqueue</c> that <see cref="JobEnqueuer"/> writes, the
/// <c>server</c> heartbeats <see cref="WorkerStatus"/> reads, and the channel the library's long polling listens on.
/// Written and tested against <see cref="Version"/>; <c>HangfirePostgreSqlContractTests</c> fail when the package
/// changes, so that an upgrade re-checks these (README, Developing).</summary>
public static class HangfirePostgreSqlContract
{
    /// <summary>The Hangfire.PostgreSql package version the SQL here was written against.</summary>
    public const string Version = "1.21.1";

    /// <summary>The channel the library's queue notifies on an enqueue and its waiting workers listen on
    /// (<c>EnableLongPolling</c>).</summary>
    public const string NewJobChannel = "new_job";
}
