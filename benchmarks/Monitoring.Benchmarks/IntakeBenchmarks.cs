using System.Text;
using BenchmarkDotNet.Attributes;
using Monitoring.Collector.Intake;
using Monitoring.Collector.Normalisation;
using Monitoring.Collector.Privacy;

namespace Monitoring.Benchmarks;

/// <summary>The CPU side of intake, per batch of 1,000 posts: parsing, validation with normalisation and pseudonymisation.</summary>
[MemoryDiagnoser]
public class IntakeBenchmarks
{
    private byte[][] _lines = [];
    private List<IncomingPost> _parsed = [];
    private PostValidator _validator = null!;

    [GlobalSetup]
    public void Setup()
    {
        var path = Path.Combine(Path.GetTempPath(), "intake-bench.ndjson");
        PostGenerator.WriteNdjson(path, 1_000);
        _lines = File.ReadAllLines(path).Select(Encoding.UTF8.GetBytes).ToArray();
        _parsed = _lines.Select(l => PostParser.ParseOne(l)).ToList();
        _validator = new PostValidator(new AuthorPseudonymizer(Encoding.UTF8.GetBytes("benchmark-secret-0123456789")), TimeProvider.System);
    }

    [Benchmark]
    public int Parse()
    {
        var n = 0;
        foreach (var line in _lines) n += PostParser.ParseOne(line).Post is null ? 0 : 1;
        return n;
    }

    [Benchmark]
    public int Normalize()
    {
        var n = 0;
        foreach (var p in _parsed) n += TextNormalizer.Normalize(p.Post!.Text!).Length;
        return n;
    }

    [Benchmark]
    public int Validate()
    {
        var n = 0;
        foreach (var p in _parsed) n += _validator.Validate(p).Accepted ? 1 : 0;
        return n;
    }
}
