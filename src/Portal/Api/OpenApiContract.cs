using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Paddock.Portal.Api;

/// <summary>What the OpenAPI document promises beyond the endpoints themselves, so that a generated client
/// can be trusted: bearer authentication on every operation that needs it (and none on the anonymous ones),
/// an If-Match header where an operation honours it, and a server URL without a trailing slash.</summary>
public static class OpenApiContract
{
    public const string BearerScheme = "bearer";

    public static OpenApiOptions AddPaddockContract(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Paddock API";
            document.Info.Description = "Self-service environments: teams, applications, environments, deployments and the audit trail. " +
                "Authenticate with `Authorization: Bearer <token>` (personal or team token). Every error is an RFC 7807 " +
                "problem (`application/problem+json`); a 400 lists its fields in `errors`, keyed by JSON path.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A personal or team API token (`pdk_...`), sent as `Authorization: Bearer <token>`.",
            };
            foreach (var server in document.Servers ?? []) server.Url = server.Url?.TrimEnd('/');
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            operation.Security = metadata.OfType<IAllowAnonymous>().Any()
                ? []
                : [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
            if (operation.Responses?.ContainsKey("412") == true)
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = "If-Match",
                    In = ParameterLocation.Header,
                    Description = "The ETag from the last read; the change is refused with 412 if the resource changed since.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
            }
            return Task.CompletedTask;
        });
        return options;
    }
}
