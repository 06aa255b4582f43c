namespace Paddock.Domain.Teams;

public enum TeamRole
{
    Viewer = 0,
    Member = 1,
    Owner = 2,
}
