using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using MassTransit;
using Monitoring.Contracts;
using Monitoring.Hosting.Telemetry;

namespace Monitoring.Classifier;

/// <summary>
/// The Classifier role: scores each collected post and publishes the scores without the text. A post in a language
/// the models do not cover is left out (counted, not guessed). The outgoing batch id is derived from the incoming one
/// and the model version, so a redelivered batch produces the same <c>PostsClassified</c> and downstream ledgers
/// recognise it.
/// </summary>
public sealed class PostsCollectedConsumer(PostClassifier classifier, ClassifierMetrics metrics, TimeProvider time) : IConsumer<PostsCollected>
{
    public async Task Consume(ConsumeContext<PostsCollected> context)
    {
        var started = Stopwatch.GetTimestamp();
        var batch = context.Message;
        var scored = new List<ClassifiedPost>(batch.Posts.Count);
        foreach (var post in batch.Posts)
        {
            if (classifier.TryClassify(post, out var classified)) scored.Add(classified);
            else metrics.Unscored(post.Language);
        }
        metrics.Classified(scored.Count, Stopwatch.GetElapsedTime(started));
        if (scored.Count > 0)
        {
            await context.Publish(new PostsClassified(DerivedBatchId(batch.BatchId, classifier.ModelVersion), batch.BatchId,
                classifier.ModelVersion, time.GetUtcNow(), scored, classifier.Rates));
        }
    }

    /// <summary>A name-based id (RFC 9562 version 8 layout from SHA-256) of the collected batch and the model version.</summary>
    public static Guid DerivedBatchId(Guid collectedBatchId, string modelVersion)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{collectedBatchId:N}/{modelVersion}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}

/// <summary>Classifier instruments: posts scored, posts left unscored by language, batch latency.</summary>
public sealed class ClassifierMetrics
{
    private readonly Counter<long> _classified = MonitoringTelemetry.Meter.CreateCounter<long>("monitoring.classifier.posts.classified", "{post}");
    private readonly Counter<long> _unscored = MonitoringTelemetry.Meter.CreateCounter<long>("monitoring.classifier.posts.unscored", "{post}", "Posts in a language no model covers.");
    private readonly Histogram<double> _latency = MonitoringTelemetry.Meter.CreateHistogram<double>("monitoring.classifier.batch.duration", "s");

    public void Classified(int n, TimeSpan elapsed)
    {
        _classified.Add(n);
        _latency.Record(elapsed.TotalSeconds);
    }

    public void Unscored(string? language) => _unscored.Add(1, new KeyValuePair<string, object?>("language", language ?? "unknown"));
}
