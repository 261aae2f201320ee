using System.Xml.Linq;
using Monitoring.Contracts;
using Monitoring.Dashboard.Cap;
using Monitoring.Dashboard.Storage;

namespace Monitoring.Dashboard.Tests;

public sealed class CapFeedTests
{
    private static AlertRecord Alert(int revision, AlertKind kind, AlertSeverity severity) => new()
    {
        AlertId = Guid.NewGuid(), Revision = revision, Marker = "loneliness", Region = "AR-B", Granularity = Granularity.Day,
        Kind = kind, Severity = severity, Status = AlertStatus.Open,
        OpenedAt = new DateTimeOffset(2024, 5, 1, 9, 0, 0, TimeSpan.Zero), UpdatedAt = new DateTimeOffset(2024, 5, 2, 9, 30, 15, 123, TimeSpan.Zero),
        BucketStart = new DateTimeOffset(2024, 5, 2, 0, 0, 0, TimeSpan.Zero), Observed = 0.21, Expected = 0.1, Threshold = 0.15,
        Method = "ears-c2", PValue = 0.004, TermsJson = "[]",
    };

    [Fact]
    public void Every_entry_of_the_feed_is_a_valid_cap_1_2_alert()
    {
        var alerts = new[]
        {
            Alert(1, AlertKind.Observed, AlertSeverity.Red),
            Alert(3, AlertKind.Forecast, AlertSeverity.Yellow),
            Alert(2, AlertKind.Observed, AlertSeverity.Yellow),
        };
        var xml = CapFeed.Serialize(CapFeed.Feed(alerts, "monitoring@example.org", "http://localhost/api/v1/alerts/cap", DateTimeOffset.UnixEpoch));
        var doc = XDocument.Parse(xml);
        XNamespace atom = "http://www.w3.org/2005/Atom";
        Assert.Equal(atom + "feed", doc.Root!.Name);
        var entries = doc.Root.Elements(atom + "entry").ToList();
        Assert.Equal(3, entries.Count);
        foreach (var entry in entries)
        {
            var content = entry.Element(atom + "content")!;
            Assert.Equal("application/cap+xml", content.Attribute("type")!.Value);
            var alert = Assert.Single(content.Elements());
            Assert.Empty(CapRules.Check(alert));
        }
        Assert.Equal("Alert", entries[0].Descendants(CapRules.Cap + "msgType").Single().Value);
        Assert.Equal("Update", entries[1].Descendants(CapRules.Cap + "msgType").Single().Value);
        Assert.Equal("2024-05-02T09:30:15-00:00", entries[0].Descendants(CapRules.Cap + "sent").Single().Value);
        Assert.Equal("Severe", entries[0].Descendants(CapRules.Cap + "severity").Single().Value);
        Assert.Equal("Moderate", entries[1].Descendants(CapRules.Cap + "severity").Single().Value);
    }

    [Fact]
    public void The_total_over_all_regions_has_an_area_without_a_geocode()
    {
        var alert = Alert(1, AlertKind.Observed, AlertSeverity.Red);
        alert.Region = "all";
        var message = CapFeed.Message(alert, "monitoring@example.org", cellShown: false);
        Assert.Empty(CapRules.Check(message));
        Assert.Empty(message.Descendants(CapRules.Cap + "geocode"));
        Assert.Equal("All monitored regions", message.Descendants(CapRules.Cap + "areaDesc").Single().Value);
        Assert.DoesNotContain("0.21", message.Descendants(CapRules.Cap + "description").Single().Value); // the observed value of a suppressed cell
    }

    [Fact]
    public void The_rule_checker_catches_broken_messages()
    {
        var good = CapFeed.Message(Alert(1, AlertKind.Observed, AlertSeverity.Red), "monitoring@example.org");
        Assert.Empty(CapRules.Check(good));

        var swapped = new XElement(good);
        var sender = swapped.Element(CapRules.Cap + "sender")!;
        sender.Remove();
        swapped.AddFirst(sender);
        Assert.Contains(CapRules.Check(swapped), e => e.Contains("out of order"));

        var zulu = new XElement(good);
        zulu.Element(CapRules.Cap + "sent")!.Value = "2024-05-02T09:30:15Z";
        Assert.Contains(CapRules.Check(zulu), e => e.Contains("not a CAP date-time"));

        var badEnum = new XElement(good);
        badEnum.Descendants(CapRules.Cap + "urgency").Single().Value = "Soon";
        Assert.Contains(CapRules.Check(badEnum), e => e.Contains("urgency"));

        var missing = new XElement(good);
        missing.Descendants(CapRules.Cap + "certainty").Single().Remove();
        Assert.Contains(CapRules.Check(missing), e => e.Contains("lacks required <certainty>"));

        var wrongNs = XElement.Parse(good.ToString().Replace("urn:oasis:names:tc:emergency:cap:1.2", "urn:oasis:names:tc:emergency:cap:1.1"));
        Assert.NotEmpty(CapRules.Check(wrongNs));
    }
}
