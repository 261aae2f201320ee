using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitoring.Contracts;
using Monitoring.Dashboard.Alerts;
using Monitoring.Dashboard.Api;
using Monitoring.Dashboard.Storage;

namespace Monitoring.Dashboard.Cap;

/// <summary>
/// Open alerts as OASIS CAP 1.2 messages, one per Atom entry (RFC 4287, content type application/cap+xml).
/// Elements are written in the order of the CAP 1.2 schema; times use the CAP form (no 'Z', UTC as -00:00).
/// </summary>
public static class CapFeed
{
    public static readonly XNamespace Cap = "urn:oasis:names:tc:emergency:cap:1.2";
    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    public static RouteGroupBuilder MapCapApi(this RouteGroupBuilder api)
    {
        api.MapGet("/alerts/cap", FeedAsync).WithName("CapFeed").WithTags("Alerts")
            .WithSummary("Open alerts as a CAP 1.2 Atom feed.")
            .Produces<string>(StatusCodes.Status200OK, "application/atom+xml");
        api.MapGet("/alerts/{id:guid}/cap", OneAsync).WithName("GetAlertCap").WithTags("Alerts")
            .WithSummary("One alert as a CAP 1.2 message.")
            .Produces<string>(StatusCodes.Status200OK, "application/cap+xml")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>CAP 1.2 date-time: yyyy-MM-ddTHH:mm:ss±hh:mm, UTC written as -00:00.</summary>
    public static string CapTime(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "-00:00";

    public static string Identifier(Guid alertId, int revision) => $"monitoring-{alertId:N}-r{revision}";

    public static XElement Message(AlertRecord a, string sender, bool cellShown = true)
    {
        var revisionOne = a.Revision <= 1;
        var severity = a.Severity == AlertSeverity.Red ? "Severe" : "Moderate";
        var urgency = a.Kind == AlertKind.Observed ? "Expected" : "Future";
        var certainty = a.Kind == AlertKind.Observed ? "Observed" : a.Severity == AlertSeverity.Red ? "Likely" : "Possible";
        var what = a.Kind == AlertKind.Observed ? "rose above its expected level" : "is forecast to rise above its alert threshold";
        var marker = MarkerCatalogue.TryGet(a.Marker, out var m) ? m.Description : a.Marker;
        var alert = new XElement(Cap + "alert",
            new XElement(Cap + "identifier", Identifier(a.AlertId, a.Revision)),
            new XElement(Cap + "sender", sender),
            new XElement(Cap + "sent", CapTime(a.UpdatedAt)),
            new XElement(Cap + "status", "Actual"),
            new XElement(Cap + "msgType", revisionOne ? "Alert" : "Update"),
            new XElement(Cap + "scope", "Public"));
        if (!revisionOne)
        {
            alert.Add(new XElement(Cap + "references", $"{sender},{Identifier(a.AlertId, 1)},{CapTime(a.OpenedAt)}"));
        }
        alert.Add(new XElement(Cap + "incidents", a.AlertId.ToString("N")));
        alert.Add(new XElement(Cap + "info",
            new XElement(Cap + "language", "en-US"),
            new XElement(Cap + "category", "Health"),
            new XElement(Cap + "event", $"Population mental-health signal: {a.Marker}"),
            new XElement(Cap + "responseType", "Monitor"),
            new XElement(Cap + "urgency", urgency),
            new XElement(Cap + "severity", severity),
            new XElement(Cap + "certainty", certainty),
            new XElement(Cap + "effective", CapTime(a.BucketStart)),
            new XElement(Cap + "senderName", "Monitoring"),
            new XElement(Cap + "headline", $"{a.Marker} {what} in {a.Region}"),
            new XElement(Cap + "description",
                $"{marker} Prevalence {(cellShown ? F(a.Observed) : "(suppressed: too few posts or authors)")} against an expected {F(a.Expected)} " +
                $"(threshold {F(a.Threshold)}, {a.Method}, p = {F(a.PValue)}) for the {a.Granularity.ToString().ToLowerInvariant()} starting {CapTime(a.BucketStart)}. " +
                "A population-level aggregate of public posts; it describes no individual."),
            new XElement(Cap + "parameter", new XElement(Cap + "valueName", "marker"), new XElement(Cap + "value", a.Marker)),
            new XElement(Cap + "parameter", new XElement(Cap + "valueName", "kind"), new XElement(Cap + "value", a.Kind.ToString().ToLowerInvariant())),
            Area(a.Region)));
        return alert;
    }

    private static string F(double? v) => v?.ToString("0.####", CultureInfo.InvariantCulture) ?? "n/a";

    private static XElement Area(string region)
    {
        var area = new XElement(Cap + "area", new XElement(Cap + "areaDesc", region switch
        {
            SeriesKey.AllRegions => "All monitored regions",
            SeriesKey.UnknownRegion => "Posts without a known region",
            _ => region,
        }));
        if (region is not (SeriesKey.AllRegions or SeriesKey.UnknownRegion))
        {
            area.Add(new XElement(Cap + "geocode", new XElement(Cap + "valueName", "ISO 3166-2"), new XElement(Cap + "value", region)));
        }
        return area;
    }

    public static XDocument Feed(IReadOnlyList<AlertRecord> alerts, string sender, string selfUrl, DateTimeOffset now, ISet<Guid>? maskedCells = null)
    {
        var updated = alerts.Count == 0 ? now : alerts.Max(a => a.UpdatedAt);
        var feed = new XElement(Atom + "feed",
            new XAttribute(XNamespace.Xmlns + "cap", Cap.NamespaceName),
            new XElement(Atom + "id", "urn:monitoring:alerts:cap"),
            new XElement(Atom + "title", "Monitoring: open alerts (CAP 1.2)"),
            new XElement(Atom + "updated", Rfc3339(updated)),
            new XElement(Atom + "author", new XElement(Atom + "name", sender)),
            new XElement(Atom + "link", new XAttribute("rel", "self"), new XAttribute("href", selfUrl)));
        foreach (var a in alerts)
        {
            feed.Add(new XElement(Atom + "entry",
                new XElement(Atom + "id", $"urn:uuid:{a.AlertId}"),
                new XElement(Atom + "title", $"{a.Severity} {a.Kind.ToString().ToLowerInvariant()} alert: {a.Marker} in {a.Region}"),
                new XElement(Atom + "updated", Rfc3339(a.UpdatedAt)),
                new XElement(Atom + "link", new XAttribute("rel", "alternate"), new XAttribute("type", "application/cap+xml"), new XAttribute("href", $"/api/v1/alerts/{a.AlertId}/cap")),
                new XElement(Atom + "content", new XAttribute("type", "application/cap+xml"), Message(a, sender, maskedCells?.Contains(a.AlertId) != true))));
        }
        return new XDocument(new XDeclaration("1.0", "utf-8", null), feed);
    }

    private static string Rfc3339(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Serialize(XDocument doc)
    {
        var sb = new StringBuilder();
        using (var writer = XmlWriter.Create(new Utf8StringWriter(sb), new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) }))
        {
            doc.Save(writer);
        }
        return sb.ToString();
    }

    private sealed class Utf8StringWriter(StringBuilder sb) : StringWriter(sb, CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }

    private static async Task<ContentHttpResult> FeedAsync(HttpContext http, DashboardDbContext db, IOptions<DashboardOptions> options, TimeProvider time, CancellationToken ct)
    {
        var open = await db.Alerts.AsNoTracking().Where(a => a.Status != AlertStatus.Resolved).ToListAsync(ct); // acknowledged ones still run
        var eligible = await AlertEligibility.EligibleAsync(db, open, ct);
        var shown = open.Where(a => eligible.Contains((a.Region, Buckets.StartOf(a.BucketStart, Granularity.Week)))).OrderByDescending(a => a.UpdatedAt).ToList();
        var self = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{http.Request.Path}";
        var lookup = new Series.SuppressionLookup(db);
        var masked = new HashSet<Guid>();
        foreach (var a in shown)
        {
            if (!await AlertMasking.CellShownAsync(lookup, a, ct)) masked.Add(a.AlertId);
        }
        return TypedResults.Text(Serialize(Feed(shown, options.Value.CapSender, self, time.GetUtcNow(), masked)), "application/atom+xml; charset=utf-8");
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> OneAsync(Guid id, DashboardDbContext db, IOptions<DashboardOptions> options, CancellationToken ct)
    {
        if (await AlertEndpoints.VisibleAsync(db, id, ct) is not { } a) return ApiHelpers.NotFound($"No alert {id}.");
        return TypedResults.Text(Serialize(new XDocument(new XDeclaration("1.0", "utf-8", null), Message(a, options.Value.CapSender, await AlertMasking.CellShownAsync(new Series.SuppressionLookup(db), a, ct)))), "application/cap+xml; charset=utf-8");
    }
}
