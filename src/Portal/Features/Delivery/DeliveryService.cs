using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Domain.Delivery;
using Paddock.Domain.Tickets;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Access;

namespace Paddock.Portal.Features.Delivery;

/// <summary>What a report covers. <see cref="WithTickets"/>: also list every ticket delivered in the window or in flight
/// (the JSON's <c>tickets</c> and the CSV); the dashboard does not show that list and leaves it out.</summary>
public sealed record DeliveryQuery(string? From = null, string? To = null, string? Start = null, string? App = null, bool WithTickets = true);

public sealed record DeliverySettingsView(string Team, IReadOnlyList<string> TicketKeyPatterns, double LeadTimeTargetHours, bool TeamTarget);

public sealed record DeliverySettingsRequest(string[]? TicketKeyPatterns = null, double? LeadTimeTargetHours = null);

/// <summary>Lead time and the DORA four keys for a team (or one of its apps) over a window, computed by the Domain from
/// lean rows; and the team's delivery settings (ticket key patterns, lead-time target).</summary>
public sealed class DeliveryService(PaddockDbContext db, AccessQueries access, DeliveryData data, AuditLog audit, IConfiguration configuration, TimeProvider clock)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);
    public const int SlowestShown = 10;
    public const int MaxWeeks = 26;

    private TimeSpan ConfiguredTarget => configuration.GetValue<TimeSpan?>("Delivery:LeadTimeTarget") ?? TimeSpan.FromHours(4);
    private TimeSpan FixWindow => configuration.GetValue<TimeSpan?>("Delivery:FixWindow") ?? TimeSpan.FromHours(24);

    public async Task<Outcome<DeliveryView>> ReportAsync(Caller caller, string teamName, DeliveryQuery query, CancellationToken ct)
    {
        var (team, _) = await access.TeamAsync(caller.Actor, teamName, ct);
        if (team is null) return Failure.NotFound($"Team '{teamName}'");
        var now = clock.GetUtcNow().UtcDateTime;
        var errors = new FieldErrors();
        var to = ParseTime(query.To, "to", now, errors);
        var from = ParseTime(query.From, "from", to - DefaultWindow, errors);
        if (from >= to) errors.Add("from", "Must be before 'to'.");
        var start = query.Start?.ToLowerInvariant() switch
        {
            null or "" or "created" => LeadTimeStart.TicketCreated,
            "firstcommit" or "first-commit" or "first_commit" => LeadTimeStart.FirstCommit,
            _ => (LeadTimeStart?)null,
        };
        if (start is null) errors.Add("start", "created or firstCommit.");
        if (errors.Any) return errors.ToFailure();

        var appIds = (await data.AppIdsAsync(team.Id, query.App, ct)).ToArray();
        if (query.App is not null && appIds.Length == 0) return Failure.NotFound($"Application '{query.App}' of team '{teamName}'");
        var settings = await db.TeamDeliverySettings.AsNoTracking().FirstOrDefaultAsync(s => s.TeamId == team.Id, ct);
        var target = settings?.LeadTimeTarget ?? ConfiguredTarget;

        var production = await data.ProductionDeploymentsAsync((await data.ProductionEnvironmentIdsAsync(appIds, ct)).ToArray(), ct);
        var records = await data.TicketsAsync(team.Id, query.App is null ? null : appIds, ct);
        var window = new TimeWindow(from, to);

        var byKey = records.ToDictionary(r => r.Key, StringComparer.OrdinalIgnoreCase);
        var firstInProduction = TicketLeadTime.FirstInProduction(production);
        var leads = records.Select(r => TicketLeadTime.For(r, firstInProduction.TryGetValue(r.Key, out var at) ? at : null, start!.Value)).ToList();
        var leadHistory = LeadTimeHistory.Of(leads);
        var leadReport = leadHistory.Report(window, target);
        var history = DoraHistory.Of(production, byKey, FixWindow);
        var dora = history.Report(window);

        var slowest = leads.Where(l => !l.InProduction && l.StartedAt is not null && l.StartedAt < to)
            .OrderBy(l => l.StartedAt).Take(SlowestShown).ToList();
        var stages = await data.FurthestStagesAsync(appIds, slowest.Select(l => l.Key).ToArray(), ct);
        var listed = query.WithTickets
            ? leads.Where(l => l.InProductionAt is null || window.Contains(l.InProductionAt.Value)).OrderByDescending(l => l.Duration).ThenBy(l => l.Key).ToList()
            : [];
        // Titles only for the tickets the report names: the slowest ten, and the listed ones when asked for.
        var titles = await data.TitlesAsync(team.Id, listed.Count > 0 ? null : slowest.Select(l => l.Key).ToArray(), ct);

        return new DeliveryView(team.Name.Value, query.App, from, to,
            new LeadTimeView(start!.Value, PercentilesView.Of(leadReport.Summary), target.TotalHours, leadReport.ShareUnderTarget, leadReport.InFlight),
            new DoraView(DoraReport.Definitions, dora.ProductionDeployments, dora.SucceededDeployments, dora.DeploymentsPerDay, dora.DeploymentsPerWeek,
                PercentilesView.Of(dora.LeadTimeForChanges), dora.FailedChanges, dora.ChangeFailureRate, PercentilesView.Of(dora.RecoveryTime), dora.Unrecovered,
                FixWindow.TotalHours),
            Weeks(history, leadHistory, window, target),
            slowest.Select(l => new InFlightTicketView(l.Key, titles.GetValueOrDefault(l.Key), byKey[l.Key].Type, l.StartedAt!.Value,
                Math.Round((to - l.StartedAt!.Value).TotalHours, 3), stages.TryGetValue(l.Key, out var s) ? s.ToString() : null)).ToList(),
            listed.Select(l => new TicketLeadTimeRow(l.Key, titles.GetValueOrDefault(l.Key), byKey[l.Key].Type, l.StartedAt, l.InProductionAt,
                    PercentilesView.Hours(l.Duration), l.ClockSkewed)).ToList());
    }

    /// <summary>The trend: the last <see cref="MaxWeeks"/> weeks of the window, each with its deployments, failure rate and median lead time.</summary>
    private static IReadOnlyList<WeekView> Weeks(DoraHistory history, LeadTimeHistory leads, TimeWindow window, TimeSpan target)
    {
        var weeks = new List<WeekView>();
        for (var end = window.To; end > window.From && weeks.Count < MaxWeeks; end = end.AddDays(-7))
        {
            var week = new TimeWindow(end.AddDays(-7) < window.From ? window.From : end.AddDays(-7), end);
            var dora = history.Report(week);
            var lead = leads.Report(week, target);
            weeks.Add(new WeekView(week.From, dora.SucceededDeployments, dora.ChangeFailureRate, PercentilesView.Hours(lead.Summary.P50)));
        }
        weeks.Reverse();
        return weeks;
    }

    public static string ToCsv(DeliveryView view)
    {
        var csv = new StringBuilder("key,title,type,started_at,in_production_at,lead_time_hours,clock_skewed\n");
        foreach (var t in view.Tickets)
            csv.Append(Field(t.Key)).Append(',').Append(Field(t.Title)).Append(',').Append(t.Type).Append(',')
                .Append(Time(t.StartedAt)).Append(',').Append(Time(t.InProductionAt)).Append(',')
                .Append(t.LeadTimeHours?.ToString(CultureInfo.InvariantCulture)).Append(',').Append(t.ClockSkewed ? "true" : "false").Append('\n');
        return csv.ToString();
    }

    /// <summary>RFC 4180 quoting; a leading = + - @ is prefixed so spreadsheets do not run a title as a formula.</summary>
    private static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }

    private static string Time(DateTime? at) => at?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "";

    public async Task<Outcome<DeliverySettingsView>> SettingsAsync(Caller caller, string teamName, CancellationToken ct)
    {
        var (team, _) = await access.TeamAsync(caller.Actor, teamName, ct);
        if (team is null) return Failure.NotFound($"Team '{teamName}'");
        var settings = await db.TeamDeliverySettings.AsNoTracking().FirstOrDefaultAsync(s => s.TeamId == team.Id, ct);
        return SettingsView(team.Name.Value, settings);
    }

    public async Task<Outcome<DeliverySettingsView>> ChangeSettingsAsync(Caller caller, string teamName, DeliverySettingsRequest request, CancellationToken ct)
    {
        var (team, teamAccess) = await access.TeamAsync(caller.Actor, teamName, ct);
        if (team is null) return Failure.NotFound($"Team '{teamName}'");
        if (teamAccess < TeamAccess.Manage) return Failure.Forbidden("Changing a team's delivery settings needs the member or owner role.");
        var errors = new FieldErrors();
        var patterns = request.TicketKeyPatterns ?? [];
        if (patterns.Length > TicketKeys.MaxPatterns) errors.Add("ticketKeyPatterns", $"At most {TicketKeys.MaxPatterns} patterns.");
        foreach (var pattern in patterns) errors.Add("ticketKeyPatterns", TicketKeys.Check(pattern));
        if (request.LeadTimeTargetHours is { } hours && (double.IsNaN(hours) || hours <= 0 || hours > 24 * 365))
            errors.Add("leadTimeTargetHours", "Between 0 and 8760 hours.");
        if (errors.Any) return errors.ToFailure();

        var settings = await db.TeamDeliverySettings.FirstOrDefaultAsync(s => s.TeamId == team.Id, ct);
        var before = settings is null ? null : SettingsView(team.Name.Value, settings);
        if (settings is null) db.TeamDeliverySettings.Add(settings = new TeamDeliverySettings(team.Id));
        settings.Change(patterns, request.LeadTimeTargetHours is { } h ? TimeSpan.FromHours(h) : null, clock.GetUtcNow().UtcDateTime);
        var view = SettingsView(team.Name.Value, settings);
        try
        {
            await audit.SaveChangesAsync(caller.Audit("team.delivery_settings_changed", "team", team.Id.ToString(), team.Id, null, before, view), ct);
        }
        catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || e.IsUniqueViolation())
        {
            return Failure.Conflict("The settings were changed at the same moment; try again.");
        }
        return view;
    }

    private DeliverySettingsView SettingsView(string team, TeamDeliverySettings? settings) => new(team,
        settings is { TicketKeyPatterns.Length: > 0 } ? settings.TicketKeyPatterns : [TicketKeys.DefaultPattern],
        (settings?.LeadTimeTarget ?? ConfiguredTarget).TotalHours, settings?.LeadTimeTarget is not null);

    private static DateTime ParseTime(string? text, string field, DateTime fallback, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(text)) return fallback;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return at.UtcDateTime;
        errors.Add(field, "An ISO 8601 date or time, e.g. 2026-11-01 or 2026-11-01T09:00:00Z.");
        return fallback;
    }
}
