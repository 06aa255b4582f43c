namespace Paddock.Domain.Sources;

/// <summary>The git commit a deployment runs, when an environment that follows git made it.</summary>
public sealed class DeploymentCommit
{
    public Guid DeploymentId { get; private set; }
    public Guid RepositoryId { get; private set; }
    public string Sha { get; private set; } = "";
    public string Message { get; private set; } = "";
    public string Author { get; private set; } = "";

    private DeploymentCommit() { }

    public DeploymentCommit(Guid deploymentId, Guid repositoryId, GitCommitInfo commit)
    {
        DeploymentId = deploymentId;
        RepositoryId = repositoryId;
        Sha = commit.Sha;
        Message = commit.Message;
        Author = commit.Author;
    }
}
