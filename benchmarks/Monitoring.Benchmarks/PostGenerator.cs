using System.Text.Json;

namespace Monitoring.Benchmarks;

/// <summary>
/// Synthetic posts for load tests: realistic shapes and lengths (a few sentences, some HTML, links and mentions,
/// 5,000 authors, 20 regions), deterministic for a count. Not for training: the words are drawn from a fixed list.
/// </summary>
public static class PostGenerator
{
    private static readonly string[] Words =
    [
        "today", "I", "feel", "so", "tired", "and", "alone", "the", "news", "about", "jobs", "is", "scary", "my", "friends",
        "never", "call", "happy", "great", "weekend", "with", "family", "lockdown", "again", "can't", "sleep", "worried",
        "prices", "school", "hospital", "love", "this", "city", "angry", "government", "hope", "better", "soon", "thanks",
    ];

    public static void WriteNdjson(string path, int count)
    {
        var random = new Random(20240501);
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var writer = new StreamWriter(path, false, new System.Text.UTF8Encoding(false), 1 << 20);
        for (var i = 0; i < count; i++)
        {
            var words = random.Next(8, 60);
            var text = string.Join(' ', Enumerable.Range(0, words).Select(_ => Words[random.Next(Words.Length)]));
            if (i % 7 == 0) text = $"<p>{text}</p><p>https://example.org/{i}</p>";
            if (i % 11 == 0) text = $"@friend{random.Next(100)} {text}";
            writer.WriteLine(JsonSerializer.Serialize(new
            {
                source = "loadgen",
                id = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                publishedAt = start.AddSeconds(i * 7L),
                author = $"user{random.Next(5_000)}",
                text,
                language = "en",
                region = $"R{random.Next(20):00}",
            }));
        }
    }
}
