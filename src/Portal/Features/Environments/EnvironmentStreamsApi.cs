using System.Threading.Channels;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Paddock.Portal.Api;
using Paddock.Portal.Identity;

namespace Paddock.Portal.Features.Environments;

/// <summary>The environment's live status (its events) and its instances' logs, as JSON or Server-Sent Events.</summary>
public static class EnvironmentStreamsApi
{
    public const int MaxListedEvents = 1000;
    private static readonly TimeSpan LogReadTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Tagged "Deployments" as they always were: clients generated from the OpenAPI document group by tag.</summary>
    public static RouteGroupBuilder Map(RouteGroupBuilder api)
    {
        var perEnvironment = api.MapGroup("/apps/{app}/environments/{env}").WithTags("Deployments");
        perEnvironment.MapGet("/events", EventsAsync)
            .WithSummary("Server-Sent Events: the environment's events after Last-Event-ID (or ?after=), then live ones. ?format=json lists them instead.");
        perEnvironment.MapGet("/logs", LogsAsync)
            .WithSummary("The last ?tail=N log lines of the environment's instances as JSON; ?follow=true streams them as Server-Sent Events.");
        return api;
    }

    public static async Task<Results<Ok<IReadOnlyList<EnvironmentEventView>>, EmptyHttpResult, ProblemHttpResult>> EventsAsync(
        HttpContext http, EnvironmentLookup lookup, EnvironmentEventFeed feed, IOptions<JsonOptions> json, IHostApplicationLifetime lifetime,
        CredentialWatch credentials, string app, string env, string? after, string? format, CancellationToken ct)
    {
        var lastEventId = http.Request.Headers["Last-Event-ID"].FirstOrDefault();
        var afterText = string.IsNullOrEmpty(lastEventId) ? after : lastEventId;
        long since = 0;
        if (!string.IsNullOrEmpty(afterText) && (!long.TryParse(afterText, out since) || since < 0))
            return Failure.Invalid(string.IsNullOrEmpty(lastEventId) ? "after" : "Last-Event-ID", "An event sequence number (0 or more).").ToProblem();
        if (format is not (null or "json" or "sse"))
            return Failure.Invalid("format", "Use json, or leave it out for Server-Sent Events.").ToProblem();
        var (target, notFound) = await lookup.FindAsync(http.Caller(), app, env, ct);
        if (target is null) return notFound!.ToProblem();

        if (format == "json") return TypedResults.Ok(await feed.ReadAsync(target.Env.Id, since, MaxListedEvents, ct));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, lifetime.ApplicationStopping);
        // The stream outlives the request's authentication: it ends when the caller's credential stops holding.
        await using var watch = credentials.Watch(http.User, stop.Cancel, stop.Token);
        try
        {
            var stream = await ServerSentEvents.StartAsync(http, json.Value.SerializerOptions);
            await foreach (var batch in feed.FollowAsync(target.Env.Id, since, ServerSentEvents.KeepAliveInterval, stop.Token))
            {
                if (batch.Count == 0) await stream.KeepAliveAsync(stop.Token);
                foreach (var e in batch) await stream.WriteAsync(e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Phase, e, stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        return TypedResults.Empty;
    }

    public static async Task<Results<Ok<List<LogLineView>>, EmptyHttpResult, ProblemHttpResult>> LogsAsync(
        HttpContext http, EnvironmentLogs logs, IOptions<JsonOptions> json, IHostApplicationLifetime lifetime,
        CredentialWatch credentials, string app, string env, string? tail, string? follow, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var lines = EnvironmentLogs.ParseTail(tail, errors);
        var following = false;
        if (follow is not null && !bool.TryParse(follow, out following)) errors.Add("follow", "Use true or false.");
        if (errors.Any) return errors.ToFailure().ToProblem();

        var outcome = await logs.OpenAsync(http.Caller(), app, env, ct);
        if (!outcome.IsOk) return outcome.ToProblem();
        var source = outcome.Value!;
        if (source.UnavailableReason is { } reason) return Unavailable(reason);

        if (!following)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(LogReadTimeout);
            var read = new List<LogLineView>();
            try
            {
                await foreach (var line in source.ReadAsync(lines!.Value, follow: false, timeout.Token)) read.Add(line);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return Unavailable($"The backend did not return the logs within {LogReadTimeout.TotalSeconds:0}s.");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Unavailable($"The backend could not return the logs: {e.Message}");
            }
            return TypedResults.Ok(read);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, lifetime.ApplicationStopping);
        await using var watch = credentials.Watch(http.User, stop.Cancel, stop.Token);
        var stream = await ServerSentEvents.StartAsync(http, json.Value.SerializerOptions);
        var channel = Channel.CreateBounded<LogLineView>(new BoundedChannelOptions(1000) { SingleReader = true });
        var pump = PumpAsync(source, lines!.Value, channel.Writer, stop.Token);
        try
        {
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                idle.CancelAfter(ServerSentEvents.KeepAliveInterval);
                bool more;
                try
                {
                    more = await channel.Reader.WaitToReadAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    await stream.KeepAliveAsync(stop.Token);
                    continue;
                }
                if (!more) break;
                while (channel.Reader.TryRead(out var line)) await stream.WriteAsync(null, "log", line, stop.Token);
            }
            if (await pump is { } failure) await stream.WriteAsync(null, "error", new { message = failure }, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        finally
        {
            await stop.CancelAsync();
        }
        return TypedResults.Empty;
    }

    /// <summary>Copies the backend's lines into the channel; returns why it stopped early, or null.</summary>
    private static async Task<string?> PumpAsync(LogSource source, int tail, ChannelWriter<LogLineView> writer, CancellationToken ct)
    {
        try
        {
            await foreach (var line in source.ReadAsync(tail, follow: true, ct)) await writer.WriteAsync(line, ct);
            return null;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e)
        {
            return $"The backend stopped sending logs: {e.Message}";
        }
        finally
        {
            writer.TryComplete();
        }
    }

    private static ProblemHttpResult Unavailable(string reason) =>
        TypedResults.Problem(reason, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Backend unavailable");
}
