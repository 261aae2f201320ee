using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitoring.Dashboard.Api;
using Monitoring.Dashboard.Delivery;
using Monitoring.Dashboard.Storage;

namespace Monitoring.Dashboard.Keys;

public sealed record AllowedNetworkView(string Cidr, string Note, string Source, string? CreatedBy, DateTimeOffset? CreatedAt);

public sealed record AllowNetwork(string? Note);

/// <summary>Admin settings: networks that webhooks may target although they are internal.</summary>
public static class SettingsEndpoints
{
    public static RouteGroupBuilder MapSettingsApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/settings/allowed-networks", ListAsync).WithName("ListAllowedNetworks").WithTags("Settings")
            .WithSummary("Networks webhooks may target although they are private, loopback or link-local (from configuration and from admins).");
        admin.MapPut("/settings/allowed-networks/{address}/{prefixLength:int}", AllowAsync).WithName("AllowNetwork").WithTags("Settings")
            .WithSummary("Allow a network as a webhook target, e.g. PUT /settings/allowed-networks/10.20.0.0/16.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        admin.MapDelete("/settings/allowed-networks/{address}/{prefixLength:int}", RemoveAsync).WithName("RemoveAllowedNetwork").WithTags("Settings")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return admin;
    }

    private static async Task<Ok<List<AllowedNetworkView>>> ListAsync(DashboardDbContext db, IOptions<DashboardOptions> options, CancellationToken ct)
    {
        var stored = await db.AllowedNetworks.AsNoTracking().ToListAsync(ct);
        var list = options.Value.Delivery.AllowedNetworks.Select(c => new AllowedNetworkView(c, "", "configuration", null, null))
            .Concat(stored.OrderBy(n => n.Cidr, StringComparer.Ordinal).Select(n => new AllowedNetworkView(n.Cidr, n.Note, "admin", n.CreatedBy, n.CreatedAt)))
            .ToList();
        return TypedResults.Ok(list);
    }

    private static bool TryCidr(string address, int prefixLength, out string cidr)
    {
        cidr = "";
        if (!IPNetwork.TryParse($"{address}/{prefixLength}", out var network)) return false;
        cidr = network.ToString();
        return cidr == $"{address}/{prefixLength}" || IPAddress.Parse(address).Equals(network.BaseAddress);
    }

    private static async Task<Results<Ok<AllowedNetworkView>, ProblemHttpResult>> AllowAsync(
        string address, int prefixLength, AllowNetwork? body, DashboardDbContext db, SsrfGuard guard, ClaimsPrincipal user, TimeProvider time, CancellationToken ct)
    {
        if (!TryCidr(address, prefixLength, out var cidr))
        {
            return ApiHelpers.BadRequest("Give a network in CIDR notation with its base address, e.g. 10.20.0.0/16.");
        }
        var row = await db.AllowedNetworks.FindAsync([cidr], ct);
        if (row is null)
        {
            row = new AllowedNetwork { Cidr = cidr, Note = body?.Note?.Trim() ?? "", CreatedBy = ApiHelpers.KeyName(user), CreatedAt = time.GetUtcNow() };
            db.AllowedNetworks.Add(row);
        }
        else
        {
            row.Note = body?.Note?.Trim() ?? row.Note;
        }
        if (row.Note.Length > 500) return ApiHelpers.BadRequest("note is at most 500 characters.");
        await db.SaveChangesAsync(ct);
        guard.Invalidate();
        return TypedResults.Ok(new AllowedNetworkView(row.Cidr, row.Note, "admin", row.CreatedBy, row.CreatedAt));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(string address, int prefixLength, DashboardDbContext db, SsrfGuard guard, CancellationToken ct)
    {
        if (!TryCidr(address, prefixLength, out var cidr)) return ApiHelpers.BadRequest("Give a network in CIDR notation, e.g. 10.20.0.0/16.");
        var removed = await db.AllowedNetworks.Where(n => n.Cidr == cidr).ExecuteDeleteAsync(ct);
        guard.Invalidate();
        return removed > 0 ? TypedResults.NoContent() : ApiHelpers.NotFound($"{cidr} is not an admin-allowed network (networks from configuration are changed there).");
    }
}
