using System.Globalization;
using System.Text;
using System.Text.Json;
using Paddock.Portal.Features.Audit;

namespace Paddock.Portal.Components.Pages.Audit;

/// <summary>The filtered audit view as a file: CSV for spreadsheets, JSON exactly as the API shows events.</summary>
public static class AuditExport
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string ToJson(IEnumerable<AuditEventView> events) => JsonSerializer.Serialize(events, Json);

    public static string ToCsv(IEnumerable<AuditEventView> events)
    {
        var csv = new StringBuilder("sequence,at,actor_id,actor,action,target_type,target_id,team,app,before,after,client_ip,correlation_id\n");
        foreach (var e in events)
        {
            string[] cells =
            [
                e.Sequence.ToString(CultureInfo.InvariantCulture), e.At.ToString("O", CultureInfo.InvariantCulture), e.ActorId, e.ActorName,
                e.Action, e.TargetType, e.TargetId ?? "", e.Team?.Name ?? e.Team?.Id.ToString() ?? "", e.App?.Name ?? e.App?.Id.ToString() ?? "",
                e.Before?.GetRawText() ?? "", e.After?.GetRawText() ?? "", e.ClientIp ?? "", e.CorrelationId ?? "",
            ];
            csv.AppendJoin(',', cells.Select(Quote)).Append('\n');
        }
        return csv.ToString();
    }

    /// <summary>RFC 4180 quoting; a leading =, +, - or @ is prefixed so spreadsheets do not run it as a formula.</summary>
    private static string Quote(string cell)
    {
        if (cell.Length > 0 && "=+-@".Contains(cell[0])) cell = "'" + cell;
        return cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{cell.Replace("\"", "\"\"")}\"" : cell;
    }
}
