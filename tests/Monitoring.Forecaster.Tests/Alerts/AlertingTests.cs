using Monitoring.Contracts;
using Monitoring.Forecaster.Alerts;
using Monitoring.Forecaster.Forecasting;

namespace Monitoring.Forecaster.Tests.Alerts;

public class AlertingTests
{
    static readonly SeriesKey Key = new("dsm5.depressed_mood", "all", Granularity.Day);
    static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    static List<SeriesBucket> Series(int n, long authors = 400, int spikeAt = -1, int spikeLength = 1)
    {
        var rng = new Random(7);
        return Enumerable.Range(0, n).Select(i =>
        {
            var prev = 0.05 + 0.004 * rng.NextDouble();
            if (spikeAt >= 0 && i >= spikeAt && i < spikeAt + spikeLength) prev = 0.12;
            return new SeriesBucket(T0.AddDays(i), 1000, authors, prev * 1000, (long)(prev * 1000), prev, prev - 0.01, prev + 0.01);
        }).ToList();
    }

    [Fact]
    public void Cell_rules_follow_the_design_minimums()
    {
        Assert.True(CellRules.IsSuppressed(new SeriesBucket(T0, 10, 60, 1, 1, 0.1, 0, 0.2)));
        Assert.True(CellRules.IsSuppressed(new SeriesBucket(T0, 100, 49, 1, 1, 0.1, 0, 0.2)));
        Assert.False(CellRules.IsSuppressed(new SeriesBucket(T0, 11, 50, 1, 1, 0.1, 0, 0.2)));
        Assert.False(CellRules.CanAlert(Series(30, authors: 199), Granularity.Day));
        Assert.True(CellRules.CanAlert(Series(30, authors: 200), Granularity.Day));
        Assert.False(CellRules.CanAlert(Series(30, authors: 150), Granularity.Week));
        // Days of 120 authors: the region-week's distinct authors decide, when the week cell is known.
        Assert.False(CellRules.CanAlert(Series(30, authors: 120), Granularity.Day));
        Assert.False(CellRules.CanAlert(Series(30, authors: 120), Granularity.Day, weekAuthors: 199));
        Assert.True(CellRules.CanAlert(Series(30, authors: 120), Granularity.Day, weekAuthors: 200));
        // …but never for a suppressed newest cell.
        Assert.False(CellRules.CanAlert(Series(30, authors: 40), Granularity.Day, weekAuthors: 500));
    }

    [Fact]
    public void A_planted_spike_raises_exactly_one_incident()
    {
        var all = Series(60, spikeAt: 40, spikeLength: 3);
        AlertIncident? open = null;
        var opened = new List<AlertIncident>();
        var resolved = 0;
        var ids = 0;
        for (var n = 15; n <= all.Count; n++)
        {
            var buckets = all.Take(n).ToList();
            var signal = Alerting.Observe(Key, buckets, b => b.Prevalence, "ears-c2");
            var change = Alerting.Apply(Key, AlertKind.Observed, open, signal, buckets[^1].Start,
                () => new Guid(++ids, 0, 0, new byte[8]));
            switch (change)
            {
                case IncidentChange.Opened o: opened.Add(o.Incident); open = o.Incident; break;
                case IncidentChange.Updated u: open = u.Incident; break;
                case IncidentChange.Resolved: resolved++; open = null; break;
            }
        }
        var incident = Assert.Single(opened);
        Assert.Equal(T0.AddDays(40), incident.OpenedAt);
        Assert.Equal(AlertSeverity.Red, incident.Severity);
        Assert.Equal(0.12, incident.Observed, 1e-12);
        Assert.True(incident.Threshold < 0.12 && incident.Expected < incident.Threshold);
        Assert.Equal(1, resolved);
    }

    [Fact]
    public void No_alert_on_small_cells()
    {
        var buckets = Series(45, authors: 100, spikeAt: 44);
        Assert.Null(Alerting.Observe(Key, buckets, b => b.Prevalence, "ears-c2"));
    }

    [Fact]
    public void Incident_lifecycle()
    {
        var s1 = new AlertSignal(AlertKind.Observed, T0, 10, 5, 8, "ears-c1", 0.001, []);
        var opened = Assert.IsType<IncidentChange.Opened>(Alerting.Apply(Key, AlertKind.Observed, null, s1, T0)).Incident;
        Assert.Equal(1, opened.Revision);
        Assert.IsType<IncidentChange.None>(Alerting.Apply(Key, AlertKind.Observed, opened, s1, T0.AddMinutes(5)));
        var s2 = s1 with { BucketStart = T0.AddDays(1), PValue = 0.03 };
        var updated = Assert.IsType<IncidentChange.Updated>(Alerting.Apply(Key, AlertKind.Observed, opened, s2, T0.AddDays(1))).Incident;
        Assert.Equal(2, updated.Revision);
        Assert.Equal(AlertSeverity.Yellow, updated.Severity);
        Assert.Equal(opened.AlertId, updated.AlertId);
        var res = Assert.IsType<IncidentChange.Resolved>(Alerting.Apply(Key, AlertKind.Observed, updated, null, T0.AddDays(2))).Resolution;
        Assert.Equal(3, res.Revision);
        Assert.IsType<IncidentChange.None>(Alerting.Apply(Key, AlertKind.Observed, null, null, T0.AddDays(3)));
    }

    [Fact]
    public void Forecast_alert_when_the_point_forecast_crosses_the_threshold()
    {
        var buckets = Series(30);
        var f = ForecastResult.FromSd("holt-winters", [0.05, 0.07, 0.09], [0.01, 0.01, 0.01]);
        var s = Alerting.Forecast(buckets, Key, f, 0.08, TimeSpan.FromDays(1));
        Assert.NotNull(s);
        Assert.Equal(buckets[^1].Start.AddDays(3), s!.BucketStart);
        Assert.Equal(AlertKind.Forecast, s.Kind);
        Assert.True(s.PValue is > 0.1 and < 0.2); // P(below 0.08 | N(0.09, 0.01)) = Φ(−1) ≈ 0.159
        Assert.Null(Alerting.Forecast(buckets, Key, f, 0.10, TimeSpan.FromDays(1)));
    }
}
