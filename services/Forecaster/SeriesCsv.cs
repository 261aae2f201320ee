using System.Globalization;
using System.Text;

namespace Monitoring.Forecaster;

/// <summary>One row of an input series: the date text as written, its parsed clock time, and the value (NaN when missing).</summary>
public readonly record struct SeriesRow(string DateText, DateTime Date, double Value);

/// <summary>Reads and writes the simple CSV series the commands use (header <c>date,value</c>, invariant culture).</summary>
public static class SeriesCsv
{
    public static IReadOnlyList<SeriesRow> Read(string path) => Parse(File.ReadAllLines(path), path);

    public static IReadOnlyList<SeriesRow> Parse(IEnumerable<string> lines, string source = "input")
    {
        using var e = lines.GetEnumerator();
        if (!e.MoveNext()) throw new FormatException($"{source}: empty file");
        var header = Split(e.Current).Select(h => h.Trim().Trim('"').ToLowerInvariant()).ToArray();
        var di = Array.IndexOf(header, "date");
        var vi = Array.IndexOf(header, "value");
        if (di < 0 || vi < 0) throw new FormatException($"{source}: header must contain date and value columns");
        var rows = new List<SeriesRow>();
        var line = 1;
        while (e.MoveNext())
        {
            line++;
            if (string.IsNullOrWhiteSpace(e.Current)) continue;
            var f = Split(e.Current);
            var dateText = f[di].Trim().Trim('"');
            var valueText = vi < f.Length ? f[vi].Trim().Trim('"') : "";
            rows.Add(new SeriesRow(dateText, ParseDate(dateText, source, line), ParseValue(valueText, source, line)));
        }
        return rows;
    }

    static string[] Split(string line) => line.Split(',');

    public static DateTime ParseDate(string text, string source = "input", int line = 0)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            return d.ToDateTime(TimeOnly.MinValue);
        // ISO 8601 week dates: 2024-W05 or 2024-W05-3.
        var w = System.Text.RegularExpressions.Regex.Match(text, @"^(\d{4})-?W(\d{2})(?:-?([1-7]))?$");
        if (w.Success)
        {
            var year = int.Parse(w.Groups[1].Value, CultureInfo.InvariantCulture);
            var week = int.Parse(w.Groups[2].Value, CultureInfo.InvariantCulture);
            var day = w.Groups[3].Success ? int.Parse(w.Groups[3].Value, CultureInfo.InvariantCulture) : 1;
            if (week >= 1 && week <= ISOWeek.GetWeeksInYear(year))
                return ISOWeek.ToDateTime(year, week, day == 7 ? DayOfWeek.Sunday : (DayOfWeek)day);
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out var dto))
            return dto.DateTime; // the clock time as written (day of week of the local date)
        throw new FormatException($"{source}:{line}: '{text}' is not an ISO 8601 date or date-time");
    }

    static double ParseValue(string text, string source, int line)
    {
        if (text.Length == 0 || text is "NA" or "NaN" or "nan" or "null") return double.NaN;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) return v;
        throw new FormatException($"{source}:{line}: '{text}' is not a number");
    }

    /// <summary>Round-trip ("R") invariant formatting; empty for NaN.</summary>
    public static string Format(double v) => double.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture);

    public static string Format(bool? alarm) => alarm switch { true => "1", false => "0", null => "" };

    public static void WriteDetection(TextWriter w, IReadOnlyList<SeriesRow> rows, IReadOnlyList<Detection.DetectionPoint> points)
    {
        w.Write("date,value,upperbound,alarm\n");
        var sb = new StringBuilder();
        for (var i = 0; i < rows.Count; i++)
        {
            var p = points[i];
            sb.Clear();
            sb.Append(rows[i].DateText).Append(',').Append(Format(rows[i].Value)).Append(',')
              .Append(p.Alarm.HasValue ? Format(p.UpperBound) : "").Append(',').Append(Format(p.Alarm)).Append('\n');
            w.Write(sb);
        }
    }
}
