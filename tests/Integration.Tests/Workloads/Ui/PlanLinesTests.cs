using Paddock.Portal.Components.Pages.Workloads;
using Paddock.Portal.Features.Deployments;
using Paddock.Portal.Features.Workloads;
using Paddock.Workloads.Planning;

namespace Paddock.Integration.Tests.Workloads.Ui;

/// <summary>The plan view's lines: signs and colours as terraform's, before → after, secrets without values.</summary>
public sealed class PlanLinesTests
{
    private static PlanView Plan(IReadOnlyList<FieldChange> workload, IReadOnlyList<ContainerPlan> containers, IReadOnlyList<ResourcePlan> resources,
        IReadOnlyList<PlannedImage>? images = null, string? environmentImage = null) =>
        new(Guid.NewGuid(), "/api/v1/plans/x", "/api/v1/plans/x/apply", "shop", "dev", "sha256:0", "Plan: 1 to add, 2 to change, 1 to destroy",
            1, 2, 1, workload, containers, resources, images ?? Array.Empty<PlannedImage>(), environmentImage, "", PlanStatus.Open, 1, null, new TriggeredByView("u", "U"), DateTime.UnixEpoch,
            DateTime.UnixEpoch.AddHours(1), null, null);

    [Fact]
    public void A_plan_reads_like_terraform_with_a_sign_per_line_and_the_summary_last()
    {
        var plan = Plan(
            [new FieldChange("replicas", "1", "2")],
            [
                new ContainerPlan("web", PlanAction.Update,
                    [new FieldChange("image", "shop:1", "shop:2"), new FieldChange("command", null, "[serve]")],
                    [
                        new VariableChange("LOG", VariableChangeKind.Changed, false, "info", "debug"),
                        new VariableChange("TOKEN", VariableChangeKind.Changed, true, null, null),
                        new VariableChange("OLD", VariableChangeKind.Removed, false, "x", null),
                    ]),
                new ContainerPlan("sidecar", PlanAction.Create, [], [new VariableChange("KEY", VariableChangeKind.Added, true, null, null)]),
                new ContainerPlan("legacy", PlanAction.Delete, [new FieldChange("image", "legacy:1", null)], []),
            ],
            [
                new ResourcePlan("db", "postgres", PlanAction.Replace, true, []),
                new ResourcePlan("env", "environment", PlanAction.Keep, false, []),
            ]);

        var lines = PlanLines.Of(plan).Select(l => $"{new string(' ', l.Depth * 2)}{l.Sign} {l.Text}").ToList();

        Assert.Equal(
        [
            "~ workload",
            "  ~ replicas: 1 → 2",
            "~ container web",
            "  ~ image: shop:1 → shop:2",
            "  + command: [serve]",
            "  ~ variable LOG: info → debug",
            "  ~ variable TOKEN (secret, changed)",
            "  - variable OLD (was x)",
            "+ container sidecar",
            "  + variable KEY (secret)",
            "- container legacy",
            "-/+ resource db (postgres): its data is lost",
            "  Plan: 1 to add, 2 to change, 1 to destroy",
        ], lines);
        Assert.Equal(PlanLineKind.Summary, PlanLines.Of(plan)[^1].Kind);
    }

    [Fact]
    public void The_images_a_plan_runs_and_an_image_it_makes_the_environments_own_come_first()
    {
        var plan = Plan([], [new ContainerPlan("web", PlanAction.Update, [new FieldChange("image", "shop:1", "shop:2")], [])], [],
            [new PlannedImage("web", "shop:2", "sha256:abc", "sha256:abc"), new PlannedImage("helper", "helper:1", null, "resolved at deploy")],
            environmentImage: "shop:2");

        var lines = PlanLines.Of(plan).Select(l => $"{new string(' ', l.Depth * 2)}{l.Sign} {l.Text}").ToList();

        Assert.Equal(
        [
            "~ environment dev: its own image becomes shop:2",
            "  image of web: shop:2 → sha256:abc",
            "  image of helper: helper:1 → resolved at deploy",
            "~ container web",
            "  ~ image: shop:1 → shop:2",
            "  Plan: 1 to add, 2 to change, 1 to destroy",
        ], lines);
    }
}
