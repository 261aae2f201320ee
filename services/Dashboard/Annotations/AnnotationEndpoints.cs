using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Monitoring.Contracts;
using Monitoring.Dashboard.Api;
using Monitoring.Dashboard.Storage;
using Monitoring.Hosting.Security;

namespace Monitoring.Dashboard.Annotations;

public sealed record AnnotationView(Guid Id, string Title, DateOnly Date, string Region, string? Link, DateTimeOffset CreatedAt);

public sealed record NewAnnotation(string? Title, DateOnly? Date, string? Region, string? Link);

/// <summary>Crisis events that charts draw. Everyone who reads may see them; analysts add and remove them.</summary>
public static class AnnotationEndpoints
{
    public static RouteGroupBuilder MapAnnotationsApi(this RouteGroupBuilder api, RouteGroupBuilder analyst)
    {
        api.MapGet("/annotations", ListAsync).WithName("ListAnnotations").WithTags("Annotations")
            .WithSummary("Crisis events between from and to (dates), optionally for regions (events for 'all' are always included).")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        analyst.MapPost("/annotations", CreateAsync).WithName("CreateAnnotation").WithTags("Annotations")
            .WithSummary("Add a crisis event (analyst).")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        analyst.MapDelete("/annotations/{id:guid}", DeleteAsync).WithName("DeleteAnnotation").WithTags("Annotations")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static AnnotationView View(Annotation a) => new(a.Id, a.Title, a.Date, a.Region, a.Link, a.CreatedAt);

    private static async Task<Results<Ok<List<AnnotationView>>, ProblemHttpResult>> ListAsync(
        DashboardDbContext db, [FromQuery] string? from, [FromQuery] string? to, [FromQuery] string[]? region, CancellationToken ct)
    {
        DateOnly? f = null, t = null;
        if (!string.IsNullOrEmpty(from)) { if (DateOnly.TryParse(from, System.Globalization.CultureInfo.InvariantCulture, out var x)) f = x; else return ApiHelpers.BadRequest("from is a date, e.g. 2024-05-01."); }
        if (!string.IsNullOrEmpty(to)) { if (DateOnly.TryParse(to, System.Globalization.CultureInfo.InvariantCulture, out var x)) t = x; else return ApiHelpers.BadRequest("to is a date, e.g. 2024-05-31."); }
        var regions = ApiHelpers.Values(region);
        var query = db.Annotations.AsNoTracking();
        if (f is { } ff) query = query.Where(a => a.Date >= ff);
        if (t is { } tt) query = query.Where(a => a.Date <= tt);
        if (regions.Count > 0) query = query.Where(a => regions.Contains(a.Region) || a.Region == SeriesKey.AllRegions);
        var list = await query.OrderBy(a => a.Date).ThenBy(a => a.Title).ToListAsync(ct);
        return TypedResults.Ok(list.Select(View).ToList());
    }

    private static async Task<Results<Created<AnnotationView>, ProblemHttpResult>> CreateAsync(
        NewAnnotation body, DashboardDbContext db, ClaimsPrincipal user, TimeProvider time, CancellationToken ct)
    {
        var title = body.Title?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > 200) return ApiHelpers.BadRequest("title is required (at most 200 characters).");
        if (body.Date is not { } date) return ApiHelpers.BadRequest("date is required, e.g. 2024-05-01.");
        var region = string.IsNullOrWhiteSpace(body.Region) ? SeriesKey.AllRegions : body.Region.Trim();
        if (region.Length > 64) return ApiHelpers.BadRequest("region is at most 64 characters.");
        if (body.Link is { Length: > 0 } link && (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || link.Length > 2000))
        {
            return ApiHelpers.BadRequest("link is an absolute http(s) URL.");
        }
        var a = new Annotation
        {
            Id = Guid.NewGuid(),
            Title = title,
            Date = date,
            Region = region,
            Link = string.IsNullOrWhiteSpace(body.Link) ? null : body.Link,
            CreatedAt = time.GetUtcNow(),
            CreatedBy = ApiHelpers.KeyName(user),
        };
        db.Annotations.Add(a);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/annotations/{a.Id}", View(a));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, DashboardDbContext db, CancellationToken ct) =>
        await db.Annotations.Where(a => a.Id == id).ExecuteDeleteAsync(ct) > 0 ? TypedResults.NoContent() : ApiHelpers.NotFound($"No annotation {id}.");
}
