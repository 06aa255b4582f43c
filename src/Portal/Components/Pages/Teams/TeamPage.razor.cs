using Microsoft.AspNetCore.Components;
using MudBlazor;
using Paddock.Domain.Access;
using Paddock.Domain.Teams;
using Paddock.Domain.Tokens;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Access;
using Paddock.Portal.Features.Applications;
using Paddock.Portal.Features.Teams;
using Paddock.Portal.Features.Users;

namespace Paddock.Portal.Components.Pages.Teams;

/// <summary>One team: its members, tokens and quota, for those who may see it; changes for its owners.</summary>
public partial class TeamPage
{
    [Parameter] public string TeamName { get; set; } = "";

    private TeamDetailView? _team;
    private uint _version;
    private TeamAccess _access;
    private IReadOnlyList<AppView> _apps = [];
    private IReadOnlyList<TokenView> _tokens = [];
    private bool _missing;
    private string? _newMemberEmail;
    private TeamRole _newMemberRole = TeamRole.Member;
    private string? _tokenName;
    private TokenScope _tokenScope = TokenScope.Read;
    private string? _createdToken;

    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        var team = await CallAsync<TeamService, VersionedTeam>((s, c, ct) => s.GetAsync(c, TeamName, ct), quiet: true);
        _missing = team.Kind == OutcomeKind.NotFound;
        if (!team.IsOk) { _team = null; if (!_missing) Snackbar.Add(team.Message ?? team.Kind.ToString(), Severity.Error); return; }
        (_team, _version) = (team.Value!.Team, team.Value.Version);
        _access = await Services.RunAsync<AccessQueries, TeamAccess>((q, c, ct) => q.AccessToTeamAsync(c.Actor, _team.Id, ct), PageClosed);
        _apps = (await CallAsync<ApplicationService, IReadOnlyList<AppView>>((s, c, ct) => s.ListAsync(c, TeamName, ct))).Value ?? [];
        _tokens = _access == TeamAccess.Own
            ? (await CallAsync<TeamTokenService, IReadOnlyList<TokenView>>((s, c, ct) => s.ListAsync(c, TeamName, ct))).Value ?? []
            : [];
    }

    private async Task AddMemberAsync()
    {
        var outcome = await CallAsync<TeamMemberService, MemberChange>((s, c, ct) => s.SetAsync(c, TeamName, new SetMemberRequest(_newMemberEmail?.Trim(), null, _newMemberRole), ct));
        if (!outcome.IsOk) return;
        Saved($"{outcome.Value!.Member.Email} is now {outcome.Value.Member.Role}.");
        _newMemberEmail = null;
        await LoadAsync();
    }

    private async Task SetRoleAsync(string email, TeamRole role)
    {
        var outcome = await CallAsync<TeamMemberService, MemberChange>((s, c, ct) => s.SetAsync(c, TeamName, new SetMemberRequest(email, null, role), ct));
        if (outcome.IsOk) Saved($"{email} is now {role}.");
        await LoadAsync();
    }

    private async Task RemoveAsync(string email)
    {
        var outcome = await CallAsync<TeamMemberService, TeamMemberView>((s, c, ct) => s.RemoveAsync(c, TeamName, email, ct));
        if (outcome.IsOk) Saved($"{email} removed from the team.");
        await LoadAsync();
    }

    private async Task CreateTokenAsync()
    {
        var outcome = await CallAsync<TeamTokenService, CreatedTokenView>((s, c, ct) => s.CreateAsync(c, TeamName, new CreateTeamTokenRequest(_tokenName, _tokenScope, null), ct));
        if (!outcome.IsOk) return;
        _createdToken = outcome.Value!.Token;
        _tokenName = null;
        await LoadAsync();
    }

    private async Task RevokeAsync(Guid tokenId)
    {
        var outcome = await CallAsync<TeamTokenService, TokenView>((s, c, ct) => s.RevokeAsync(c, TeamName, tokenId, ct));
        if (outcome.IsOk) Saved($"Token '{outcome.Value!.Name}' revoked.");
        await LoadAsync();
    }
}
