using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Paddock.Portal.Api;

/// <summary>Conventions every API endpoint follows, declared once instead of on each endpoint: an operation id
/// (<c>Class_Method</c> of the handler, unique, as routing checks) and the problem answers that follow from how Paddock works:
/// any request can be refused with 400 (the input rules at the edge see every query, form and body), an
/// authenticated one with 401 and 403, one that names a resource with 404, a change with 409. A 412 is declared
/// by the endpoints that honour If-Match themselves.</summary>
public static class ApiConventions
{
    private static readonly string[] Problem = ["application/problem+json"];

    public static TBuilder WithPaddockConventions<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(Apply);
        return builder;
    }

    private static void Apply(EndpointBuilder endpoint)
    {
        if (endpoint is not RouteEndpointBuilder { RoutePattern: var pattern }) return;
        var method = endpoint.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault()?.HttpMethods is [var first, ..] ? first : "GET";
        var anonymous = endpoint.Metadata.OfType<IAllowAnonymous>().Any();
        var declared = endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Select(p => p.StatusCode).ToHashSet();

        void Declare(int status, Type type)
        {
            if (declared.Add(status)) endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, type, Problem));
        }

        Declare(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails));
        if (!anonymous)
        {
            Declare(StatusCodes.Status401Unauthorized, typeof(ProblemDetails));
            Declare(StatusCodes.Status403Forbidden, typeof(ProblemDetails));
        }
        if (pattern.Parameters.Count > 0) Declare(StatusCodes.Status404NotFound, typeof(ProblemDetails));
        if (!anonymous && method is "POST" or "PUT" or "PATCH" or "DELETE") Declare(StatusCodes.Status409Conflict, typeof(ProblemDetails));

        if (!endpoint.Metadata.OfType<IEndpointNameMetadata>().Any())
            endpoint.Metadata.Add(new EndpointNameMetadata(OperationId(endpoint, method, pattern)));
    }

    private static string OperationId(EndpointBuilder endpoint, string method, RoutePattern pattern)
    {
        var tag = endpoint.Metadata.OfType<ITagsMetadata>().LastOrDefault()?.Tags is [var first, ..] ? first.Replace(" ", "") : "Api";
        var handler = endpoint.Metadata.OfType<MethodInfo>().FirstOrDefault();
        if (handler is not null && !handler.Name.Contains('<') && handler.DeclaringType is { } type)
            return $"{Trim(type.Name, "Api")}_{Trim(handler.Name, "Async")}";
        // A lambda has no name of its own: the verb and the route's last literal segment stand in.
        var literal = pattern.PathSegments.SelectMany(s => s.Parts).OfType<RoutePatternLiteralPart>().LastOrDefault()?.Content ?? "root";
        return $"{tag}_{char.ToUpperInvariant(method[0])}{method[1..].ToLowerInvariant()}{char.ToUpperInvariant(literal[0])}{literal[1..]}";
    }

    private static string Trim(string name, string suffix) =>
        name.EndsWith(suffix, StringComparison.Ordinal) && name.Length > suffix.Length ? name[..^suffix.Length] : name;
}
