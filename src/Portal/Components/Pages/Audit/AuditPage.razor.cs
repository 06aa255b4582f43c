using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Paddock.Persistence;
using Paddock.Portal.Api;
using Paddock.Portal.Components.Shared;
using Paddock.Portal.Features.Audit;

namespace Paddock.Portal.Components.Pages.Audit;

/// <summary>The audit trail, filtered as <c>GET /api/v1/audit</c> is. The filters and the page live in the address
/// (<c>/audit?app=shop&amp;action=deployment.*</c>), so a filtered view can be shared; applying filters navigates.</summary>
public partial class AuditPage
{
    private const int ExportLimit = 10_000;

    [Inject] public required IJSRuntime JS { get; init; }

    [SupplyParameterFromQuery(Name = "actor")] public string? ActorQuery { get; set; }
    [SupplyParameterFromQuery(Name = "team")] public string? TeamQuery { get; set; }
    [SupplyParameterFromQuery(Name = "app")] public string? AppQuery { get; set; }
    [SupplyParameterFromQuery(Name = "action")] public string? ActionQuery { get; set; }
    [SupplyParameterFromQuery(Name = "from")] public string? FromQuery { get; set; }
    [SupplyParameterFromQuery(Name = "to")] public string? ToQuery { get; set; }
    [SupplyParameterFromQuery(Name = "page")] public int? PageQuery { get; set; }

    private string? _actor, _team, _app, _action, _from, _to;
    private AuditPageView? _page;
    private IReadOnlyDictionary<long, AuditTargets.Target> _targets = new Dictionary<long, AuditTargets.Target>();
    private AuditVerificationView? _verification;
    private bool _verified;
    private readonly HashSet<long> _open = [];

    protected override async Task OnParametersSetAsync()
    {
        (_actor, _team, _app, _action, _from, _to) = (ActorQuery, TeamQuery, AppQuery, ActionQuery, FromQuery, ToQuery);
        // The address is typed by people: a page number out of range shows the nearest page there is a number for.
        await LoadAsync(Math.Clamp(PageQuery ?? 1, 1, int.MaxValue / AuditTrail.MaxPageSize));
        if (_verified) return;
        _verified = true;
        var caller = await Services.CallerAsync();
        if (caller.Actor.IsPlatformAdmin)
            _verification = (await CallAsync<AuditTrail, AuditVerificationView>((s, c, ct) => s.VerifyAsync(c, ct), quiet: true)).Value;
    }

    /// <summary>Applying the filters is a navigation to their address; loading follows from it.</summary>
    private void Search() => Navigation.NavigateTo(PageHref(1));

    private string PageHref(int page) => Navigation.GetUriWithQueryParameters(Navigation.ToAbsoluteUri(Links.Audit).ToString(), new Dictionary<string, object?>
    {
        ["actor"] = Blank(_actor), ["team"] = Blank(_team), ["app"] = Blank(_app), ["action"] = Blank(_action),
        ["from"] = Blank(_from), ["to"] = Blank(_to), ["page"] = page > 1 ? page : null,
    });

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private AuditFilter Filter() => new(_actor, _team, _app, _action, Utc(_from), Utc(_to));

    /// <summary>The browser's datetime-local has no zone; it is the user's local time, but the server only knows UTC,
    /// so it is read as UTC and labelled as such in the table.</summary>
    private static string? Utc(string? local) => string.IsNullOrWhiteSpace(local) ? null : local + "Z";

    private async Task LoadAsync(int page)
    {
        var outcome = await CallAsync<AuditTrail, AuditPageView>((s, c, ct) => s.ListAsync(c, Filter(), new Paging(page, AuditTrail.DefaultPageSize), ct));
        _page = outcome.Value ?? new AuditPageView([], 1, AuditTrail.DefaultPageSize, 0, null);
        var events = _page.Items;
        _targets = await Services.RunAsync<PaddockDbContext, IReadOnlyDictionary<long, AuditTargets.Target>>((db, _, ct) => AuditTargets.NameAsync(db, events, ct), PageClosed);
    }

    private AuditTargets.Target TargetOf(AuditEventView e) =>
        _targets.TryGetValue(e.Sequence, out var target) ? target : new AuditTargets.Target($"{e.TargetType} {e.TargetId}", null);

    private void Toggle(long sequence)
    {
        if (!_open.Remove(sequence)) _open.Add(sequence);
    }

    private async Task ExportAsync(bool csv)
    {
        var events = new List<AuditEventView>();
        for (var page = 1; events.Count < ExportLimit; page++)
        {
            var outcome = await CallAsync<AuditTrail, AuditPageView>((s, c, ct) => s.ListAsync(c, Filter(), new Paging(page, AuditTrail.MaxPageSize), ct));
            if (!outcome.IsOk) return;
            events.AddRange(outcome.Value!.Items);
            if (outcome.Value.NextPage is null) break;
        }
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss");
        if (csv) await JS.InvokeVoidAsync("paddockDownload", $"paddock-audit-{stamp}.csv", "text/csv", AuditExport.ToCsv(events));
        else await JS.InvokeVoidAsync("paddockDownload", $"paddock-audit-{stamp}.json", "application/json", AuditExport.ToJson(events));
    }
}
