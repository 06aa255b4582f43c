using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paddock.Domain.Teams;

namespace Paddock.Persistence.Configurations;

/// <summary>A quota stored as one jsonb value: a team's, a cluster's default for teams without one, a team's resource quota.</summary>
internal static class QuotaColumn
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static PropertyBuilder<EnvironmentQuota?> StoredAsJson(this PropertyBuilder<EnvironmentQuota?> property) =>
        property.HasColumnType("jsonb").HasConversion(
            q => JsonSerializer.Serialize(q, Json),
            v => JsonSerializer.Deserialize<EnvironmentQuota>(v, Json));

    public static PropertyBuilder<ResourceQuota?> StoredAsJson(this PropertyBuilder<ResourceQuota?> property) =>
        property.HasColumnType("jsonb").HasConversion(
            q => JsonSerializer.Serialize(q, Json),
            v => JsonSerializer.Deserialize<ResourceQuota>(v, Json));
}
