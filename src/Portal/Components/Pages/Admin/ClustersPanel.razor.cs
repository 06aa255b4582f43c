using Microsoft.AspNetCore.Components;
using MudBlazor;
using Paddock.Domain.Clusters;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Clusters;

namespace Paddock.Portal.Components.Pages.Admin;

/// <summary>The Kubernetes clusters environments can run on: listed for admins, registered, changed and deleted.</summary>
public partial class ClustersPanel
{
    [Inject] public required IDialogService Dialogs { get; init; }

    /// <summary>Raised after a cluster was registered, changed or deleted.</summary>
    [Parameter] public EventCallback Changed { get; set; }

    private IReadOnlyList<ClusterView>? _clusters;
    private bool _dialogOpen, _busy;
    private string? _editing;
    private uint? _editingVersion;
    private ClusterForm _form = new();

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync() =>
        _clusters = (await CallAsync<ClusterService, IReadOnlyList<ClusterView>>((s, c, ct) => s.ListAsync(c, ct), quiet: true)).Value ?? [];

    private void OpenRegister()
    {
        ClearErrors();
        (_editing, _editingVersion, _form, _dialogOpen) = (null, null, new ClusterForm(), true);
    }

    private async Task OpenEditAsync(string name)
    {
        ClearErrors();
        var outcome = await CallAsync<ClusterService, Tagged<ClusterView>>((s, c, ct) => s.GetAsync(c, name, ct));
        if (!outcome.IsOk) return;
        _editingVersion = ETags.VersionIn(outcome.Value!.ETag);
        (_editing, _form, _dialogOpen) = (name, ClusterForm.From(outcome.Value.View), true);
    }

    private async Task SaveAsync()
    {
        _busy = true;
        try
        {
            var (name, version, form) = (_editing, _editingVersion, _form);
            var outcome = name is null
                ? await CallAsync<ClusterService, Tagged<ClusterView>>((s, c, ct) => s.RegisterAsync(c, form.ToRequest(), ct))
                : await CallAsync<ClusterService, Tagged<ClusterView>>((s, c, ct) => s.UpdateAsync(c, name, form.ToPatch(), version, ct));
            if (!outcome.IsOk) return;
            _dialogOpen = false;
            Saved(name is null ? $"Cluster {outcome.Value!.View.Name} registered." : $"Cluster {name} saved.");
            await LoadAsync();
            await Changed.InvokeAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task DeleteAsync(string name)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete cluster",
            $"Delete cluster '{name}'? Its kubeconfig and credentials are forgotten. Clusters that environments still run on cannot be deleted.",
            yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true) return;
        var outcome = await CallAsync<ClusterService, ClusterView>((s, c, ct) => s.DeleteAsync(c, name, null, ct));
        if (outcome.IsOk) Saved($"Cluster {name} deleted.");
        await LoadAsync();
        if (outcome.IsOk) await Changed.InvokeAsync();
    }
}
