using Microsoft.AspNetCore.Components;
using MudBlazor;
using Paddock.Persistence.Events;
using Paddock.Portal.Api;

namespace Paddock.Portal.Components.Shared;

/// <summary>What every page needs: services run in their own scope, failures shown as snackbars with the server's
/// message, and field errors kept so inputs can show them next to themselves.</summary>
public abstract class PaddockPage : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private IDisposable? _subscription;
    private int _reloadState; // 0 idle, 1 reloading, 2 reloading and another notice arrived
    private readonly SemaphoreSlim _loading = new(1, 1);
    private MudBlazor.Snackbar? _lastError;

    [Inject] public required CircuitServices Services { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }
    [Inject] public required EventNotifications Notifications { get; init; }
    [Inject] public required ILogger<PaddockPage> Logger { get; init; }

    protected IDictionary<string, string[]> FieldErrors { get; private set; } = new Dictionary<string, string[]>();

    protected CancellationToken PageClosed => _disposed.Token;

    protected bool HasError(string field) => FieldErrors.ContainsKey(field);

    protected string? ErrorFor(string field) => FieldErrors.TryGetValue(field, out var errors) ? string.Join(" ", errors) : null;

    protected IReadOnlyList<string> ErrorsFor(string field) => FieldErrors.TryGetValue(field, out var errors) ? errors : [];

    protected void ClearErrors() => FieldErrors = new Dictionary<string, string[]>();

    /// <summary>Shows field errors the page found itself, before calling a service.</summary>
    protected void ShowErrors(FieldErrors errors) => FieldErrors = errors.ToFailure().Errors ?? new Dictionary<string, string[]>();

    /// <summary>Runs a service call; on failure shows its message and keeps its field errors, and answers null.</summary>
    protected async Task<Outcome<T>> CallAsync<TService, T>(Func<TService, Caller, CancellationToken, Task<Outcome<T>>> operation, bool quiet = false)
        where TService : notnull
    {
        var outcome = await Services.RunAsync(operation, PageClosed);
        FieldErrors = outcome.Errors ?? new Dictionary<string, string[]>();
        // An error toast answers one attempt: the next attempt takes it away, so a corrected retry that succeeds
        // does not leave it standing (the snackbar outlives the page when a success navigates on).
        if (_lastError is not null) Snackbar.Remove(_lastError);
        _lastError = !outcome.IsOk && !quiet ? Snackbar.Add(outcome.Message ?? outcome.Kind.ToString(), Severity.Error) : null;
        return outcome;
    }

    protected void Saved(string message) => Snackbar.Add(message, Severity.Success);

    /// <summary>Follows the event notices that concern this page (<see cref="FollowEvents"/>), then loads it. In this
    /// order, so that a change made while the page reads (a deployment that ends meanwhile) reloads it afterwards:
    /// subscribing after the read would miss its notice and leave the page showing what it read until the next change.
    /// While the first load runs, what concerns the page is not known yet, so every notice counts. Both loads should run
    /// through <see cref="OneAtATimeAsync"/>, so that the reload waits for the first.</summary>
    protected async Task FollowEventsThenLoadAsync(Func<EventNotice, bool> concernsThisPage, Func<Task> firstLoad, Func<Task> reload)
    {
        var firstLoadRunning = true;
        FollowEvents(notice => firstLoadRunning || concernsThisPage(notice), reload);
        try { await firstLoad(); }
        finally { firstLoadRunning = false; }
    }

    /// <summary>Runs a page's load after any other still running: two loads interleaving at their awaits could leave
    /// the older state on screen, written by the one that read first and finished last.</summary>
    protected async Task OneAtATimeAsync(Func<Task> load)
    {
        await _loading.WaitAsync(PageClosed);
        try { await load(); }
        finally { _loading.Release(); }
    }

    /// <summary>Re-reads the page whenever the event source announces something it cares about (and after the
    /// listener reconnected, when notices may have been missed). Bursts of notices cause one reload at a time.</summary>
    protected void FollowEvents(Func<EventNotice, bool> concernsThisPage, Func<Task> reload)
    {
        _subscription?.Dispose();
        _subscription = Notifications.Subscribe(notice =>
        {
            if (!notice.IsResync && !concernsThisPage(notice)) return;
            if (Interlocked.Increment(ref _reloadState) > 1) { Interlocked.Exchange(ref _reloadState, 2); return; }
            _ = InvokeAsync(async () =>
            {
                do
                {
                    Interlocked.Exchange(ref _reloadState, 1);
                    try { await reload(); StateHasChanged(); }
                    catch (Exception) when (_disposed.IsCancellationRequested) { return; }
                    catch (Exception e)
                    {
                        // One failed reload must not end the page's live updates: the state goes back to idle below,
                        // so the next notice reloads again.
                        Logger.LogWarning(e, "{Page} could not reload after an event notice", GetType().Name);
                    }
                }
                while (Interlocked.CompareExchange(ref _reloadState, 0, 1) != 1);
            });
        });
    }

    public virtual void Dispose()
    {
        _subscription?.Dispose();
        _disposed.Cancel();
        _disposed.Dispose();
        GC.SuppressFinalize(this);
    }
}
