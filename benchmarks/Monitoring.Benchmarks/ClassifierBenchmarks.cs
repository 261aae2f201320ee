using BenchmarkDotNet.Attributes;
using Monitoring.Classifier;
using Monitoring.Contracts;

namespace Monitoring.Benchmarks;

/// <summary>
/// Every marker on one GoEmotions-length post (issue 3 target: ≥ 20,000 posts/s on one core, ≤ 2 KB per post).
/// <see cref="ScoreAllMarkers"/> is the scoring path into a reused buffer; <see cref="ClassifyPost"/> also builds
/// the published <see cref="ClassifiedPost"/> with flagged markers and evidence.
/// Run: dotnet run -c Release --project benchmarks/Monitoring.Benchmarks -- --filter '*Classifier*'
/// </summary>
[MemoryDiagnoser]
public class ClassifierBenchmarks
{
    private PostClassifier _classifier = null!;
    private double[] _buffer = null!;
    private CollectedPost _post = null!;

    // 68 characters, the mean length of a GoEmotions comment.
    private const string Text = "Honestly this is the best news I've heard all week, so happy for you!";

    [GlobalSetup]
    public void Setup()
    {
        _classifier = PostClassifier.Load(Path.Combine(AppContext.BaseDirectory, "models"));
        _buffer = new double[_classifier.Markers.Names.Count];
        _post = new CollectedPost("bench", "1", DateTimeOffset.UnixEpoch, "k", Text, "en", "unknown", null, [], null);
    }

    [Benchmark]
    public bool ScoreAllMarkers() => _classifier.Score(Text, "en", null, _buffer);

    [Benchmark]
    public ClassifiedPost ClassifyPost() => _classifier.Classify(_post);
}
