using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Monitoring.Dashboard.Api;
using Monitoring.Hosting.Security;

namespace Monitoring.Dashboard.Keys;

public sealed record NewApiKey(string? Role, string? Name);

/// <summary>API keys for admins: the same store as <c>monitoring keys</c>; secrets are shown once and kept hashed.</summary>
public static class KeyEndpoints
{
    public static RouteGroupBuilder MapKeysApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/keys", ListAsync).WithName("ListKeys").WithTags("Keys").WithSummary("Every key: prefix, role, name, dates; never a secret.");
        admin.MapPost("/keys", CreateAsync).WithName("CreateKey").WithTags("Keys")
            .WithSummary("Create a key; the response holds its secret, shown only this once.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        admin.MapDelete("/keys/{idOrPrefix}", RevokeAsync).WithName("RevokeKey").WithTags("Keys")
            .WithSummary("Revoke a key by id or prefix (effective everywhere within 30 s).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return admin;
    }

    private static async Task<Ok<IReadOnlyList<ApiKeyInfo>>> ListAsync(ApiKeyStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.ListAsync(ct));

    private static async Task<Results<Created<CreatedApiKey>, ProblemHttpResult>> CreateAsync(NewApiKey body, ApiKeyStore store, CancellationToken ct)
    {
        var role = body.Role?.Trim().ToLowerInvariant();
        if (role is null || !ApiKeyRoles.All.Contains(role)) return ApiHelpers.BadRequest($"role is one of {string.Join(", ", ApiKeyRoles.All)}.");
        var name = string.IsNullOrWhiteSpace(body.Name) ? role + " key" : body.Name.Trim();
        if (name.Length > 200) return ApiHelpers.BadRequest("name is at most 200 characters.");
        var created = await store.CreateAsync(role, name, ct);
        return TypedResults.Created($"/api/v1/keys/{created.Key.Id}", created);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string idOrPrefix, ApiKeyStore store, CancellationToken ct) =>
        await store.RevokeAsync(idOrPrefix, ct) ? TypedResults.NoContent() : ApiHelpers.NotFound($"No key '{idOrPrefix}'.");
}
