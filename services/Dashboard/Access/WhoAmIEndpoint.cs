using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Monitoring.Dashboard.Api;

namespace Monitoring.Dashboard.Access;

/// <summary>The caller's key as the API sees it: lets the web dashboard offer only what the key may do.</summary>
/// <param name="Authenticated">False without a key (or with an unknown or revoked one).</param>
/// <param name="Roles">The roles the key holds, implied ones included (an admin key holds every role).</param>
public sealed record CurrentKey(bool Authenticated, Guid? KeyId, string? Name, IReadOnlyList<string> Roles);

public static class WhoAmIEndpoint
{
    /// <summary><c>GET /api/v1/me</c>: always 200 (anonymous callers see <c>authenticated: false</c>), so a page can ask before it offers an action.</summary>
    public static RouteGroupBuilder MapWhoAmI(this RouteGroupBuilder api)
    {
        api.MapGet("/me", Me).WithName("GetCurrentKey").WithTags("Access")
            .WithSummary("The calling API key: its name and roles; authenticated false without a valid key.")
            .AllowAnonymous();
        return api;
    }

    private static Ok<CurrentKey> Me(ClaimsPrincipal user) =>
        TypedResults.Ok(user.Identity?.IsAuthenticated == true
            ? new CurrentKey(true, ApiHelpers.KeyId(user) is var id && id != Guid.Empty ? id : null, ApiHelpers.KeyName(user),
                user.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList())
            : new CurrentKey(false, null, null, []));
}
