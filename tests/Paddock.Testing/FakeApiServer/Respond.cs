using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Paddock.Testing.FakeApiServer;

/// <summary>Writes answers the way the API server does: objects as JSON, failures as a <c>Status</c> object.</summary>
internal static class Respond
{
    public static Task Json(HttpContext http, int code, JsonNode body)
    {
        http.Response.StatusCode = code;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(body.ToJsonString());
    }

    public static Task Status(HttpContext http, int code, string reason, string message, JsonObject? details = null) =>
        Json(http, code, StatusObject(code, reason, message, details));

    public static JsonObject StatusObject(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        if (details is not null) status["details"] = details;
        return status;
    }

    public static Task NotFound(HttpContext http, ResourceType type, string name) =>
        Status(http, 404, "NotFound", $"{type.Plural} \"{name}\" not found",
            new JsonObject { ["name"] = name, ["kind"] = type.Plural });
}
