using Paddock.Portal.Api;
using Paddock.Portal.Components.Shared;
using Paddock.Portal.Features.Environments;

namespace Paddock.Portal.Components.Pages.Environments;

/// <summary>What the Overrides tab holds while it is edited, and the merge patch that saves only what changed.</summary>
public sealed class OverridesForm
{
    public string? Image { get; set; }
    public int? Replicas { get; set; }
    public int? StopGracePeriodSeconds { get; set; }
    public List<VariableRow> Variables { get; private set; } = [];
    public List<SecretRow> Secrets { get; private set; } = [];
    public RegistryForm Registry { get; } = new();

    public void Load(OverridesView overrides)
    {
        Image = overrides.Image;
        Replicas = overrides.Replicas;
        StopGracePeriodSeconds = overrides.StopGracePeriodSeconds;
        Variables = VariableRow.From(overrides.Env);
        Secrets = overrides.Secrets.Select(s => new SecretRow { Name = s.Name, Version = s.Version }).ToList();
        Registry.Load(overrides.RegistryCredentials);
    }

    /// <summary>Fields left as they were stay out of the patch, so a save does not undo someone else's change to them.</summary>
    public EnvironmentPatch Patch(OverridesView before)
    {
        var image = string.IsNullOrWhiteSpace(Image) ? null : Image.Trim();
        return new EnvironmentPatch
        {
            Image = image != before.Image ? image : Optional<string?>.Absent,
            Replicas = Replicas != before.Replicas ? Replicas : Optional<int?>.Absent,
            StopGracePeriodSeconds = StopGracePeriodSeconds != before.StopGracePeriodSeconds ? StopGracePeriodSeconds : Optional<int?>.Absent,
            Env = VariableRow.Patch(before.Env, Variables) is { Count: > 0 } env ? env : Optional<Dictionary<string, string?>?>.Absent,
            Secrets = SecretRow.Changes(Secrets) is { Count: > 0 } secrets ? secrets : Optional<Dictionary<string, string?>?>.Absent,
            RegistryCredentials = Registry.Change(before.RegistryCredentials),
        };
    }
}
