using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Monitoring.Forecaster.Tests.Cli;

public sealed class CommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("fc-cli-").FullName;

    static int Run(params string[] args)
    {
        var root = new RootCommand();
        foreach (var c in ForecasterCommands.Create()) root.Subcommands.Add(c);
        return root.Parse(args).Invoke();
    }

    string Input(IEnumerable<double> values, bool dateTimes = false)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".csv");
        var d0 = new DateTime(2024, 1, 1);
        File.WriteAllLines(path, new[] { "date,value" }.Concat(values.Select((v, i) =>
            (dateTimes ? d0.AddDays(i).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : d0.AddDays(i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            + "," + v.ToString("R", CultureInfo.InvariantCulture))));
        return path;
    }

    [Fact]
    public void Detect_writes_the_contract_format()
    {
        var input = Input([1, 2, 3, 4, 5, 6, 7, 11, 0.5], dateTimes: true);
        var output = Path.Combine(_dir, "out.csv");
        Assert.Equal(0, Run("detect", "--method", "ears-c1", "--input", input, "--output", output));
        var lines = File.ReadAllLines(output);
        Assert.Equal("date,value,upperbound,alarm", lines[0]);
        Assert.Equal("2024-01-01T00:00:00Z,1,,", lines[1]);
        Assert.Equal("2024-01-08T00:00:00Z,11," + (4 + 3.0902323061678132 * Math.Sqrt(28.0 / 6)).ToString("R", CultureInfo.InvariantCulture) + ",1", lines[8]);
        Assert.EndsWith(",0", lines[9]);
        Assert.Equal(10, lines.Length);
    }

    [Fact]
    public void Detect_rejects_unknown_methods_and_bad_input()
    {
        var input = Input([1, 2, 3]);
        Assert.NotEqual(0, Run("detect", "--method", "c4", "--input", input));
        var bad = Path.Combine(_dir, "bad.csv");
        File.WriteAllLines(bad, ["date,value", "yesterday,3"]);
        Assert.NotEqual(0, Run("detect", "--method", "ears-c1", "--input", bad));
    }

    [Fact]
    public void Backtest_json_has_every_method()
    {
        var input = Input(Enumerable.Range(0, 120).Select(i => 20 + 5.0 * Math.Sin(i * 2 * Math.PI / 7) + i % 3));
        var sw = new StringWriter();
        var old = Console.Out;
        Console.SetOut(sw);
        try { Assert.Equal(0, Run("backtest", "--input", input, "--season", "7", "--horizon", "7", "--origins", "2", "--json")); }
        finally { Console.SetOut(old); }
        var last = sw.ToString().TrimEnd().Split('\n')[^1];
        var methods = JsonDocument.Parse(last).RootElement.GetProperty("methods");
        foreach (var m in new[] { "ssa", "snaive", "holt_winters", "auto" })
            foreach (var f in new[] { "mase", "smape", "coverage80", "coverage95", "seconds" })
                Assert.Equal(JsonValueKind.Number, methods.GetProperty(m).GetProperty(f).ValueKind);
    }

    public void Dispose() => Directory.Delete(_dir, true);
}

public class SeriesCsvTests
{
    [Theory]
    [InlineData("2024-01-31", 2024, 1, 31, 0)]
    [InlineData("2024-01-31T13:00:00Z", 2024, 1, 31, 13)]
    [InlineData("2024-01-31T13:00:00+02:00", 2024, 1, 31, 13)]
    [InlineData("2024-W05", 2024, 1, 29, 0)]
    [InlineData("2020-W53-7", 2021, 1, 3, 0)]
    public void Parses_iso_8601(string text, int y, int m, int d, int h) =>
        Assert.Equal(new DateTime(y, m, d, h, 0, 0), SeriesCsv.ParseDate(text));

    [Fact]
    public void Missing_values_are_nan()
    {
        var rows = SeriesCsv.Parse(["date,value", "2024-01-01,", "2024-01-02,NA", "2024-01-03,2.5"]);
        Assert.True(double.IsNaN(rows[0].Value));
        Assert.True(double.IsNaN(rows[1].Value));
        Assert.Equal(2.5, rows[2].Value);
    }
}
