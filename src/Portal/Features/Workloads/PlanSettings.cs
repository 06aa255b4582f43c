namespace Paddock.Portal.Features.Workloads;

/// <summary><c>Paddock:Plans:Lifetime</c>: how long a plan can be applied after it was made (a TimeSpan such as
/// <c>00:30:00</c>; default one hour). An older plan is refused: what it showed may no longer be what would happen.</summary>
public sealed record PlanSettings(TimeSpan Lifetime)
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    public static PlanSettings From(IConfiguration configuration)
    {
        var lifetime = configuration.GetValue<TimeSpan?>("Paddock:Plans:Lifetime") ?? DefaultLifetime;
        if (lifetime <= TimeSpan.Zero) throw new InvalidOperationException("Paddock:Plans:Lifetime must be longer than zero.");
        return new PlanSettings(lifetime);
    }
}
