using System.Globalization;
using System.Text.Json;

namespace Monitoring.Integration.Tests.EndToEnd;

/// <summary>
/// Posts for one region: <see cref="BaselineDays"/> quiet days (about a tenth of the posts disclose loneliness) and then
/// one day on which most do. Every text is distinct (the Collector drops repeated text), written from fragments that
/// the committed loneliness model scores clearly either way. Each day's posts fall within one hour, so the hour, day
/// and week cells of the region all pass the minimum cell sizes.
/// </summary>
public static class PlantedSpike
{
    public const string Marker = "loneliness";
    public const string Region = "AR-B";
    public const string Source = "e2e";

    /// <summary>A Monday; the spike day, <see cref="BaselineDays"/> later, is one too, so its ISO week holds only the spike.</summary>
    public static readonly DateTimeOffset Day0 = new(2024, 3, 4, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Five weeks: more than the switch detector's 28-day baseline and 2-day guard.</summary>
    public const int BaselineDays = 35;

    /// <summary>Distinct authors a quiet day (at least 50, so its cells are shown).</summary>
    public const int PostsPerDay = 60;

    /// <summary>Distinct authors on the spike day (at least 200: no alert on a region-week with fewer).</summary>
    public const int SpikePosts = 240;

    public const int SpikeLonely = 150;

    public static DateTimeOffset SpikeDay => Day0.AddDays(BaselineDays);

    public sealed record Post(string Id, DateTimeOffset PublishedAt, string Author, string Text, bool Lonely);

    /// <summary>
    /// Lonely posts of a quiet day: five or six, and four on the last day of each week, the day a batch of a week
    /// ends with, so the newest bucket of a baseline batch is never high and cannot raise an alert of its own.
    /// </summary>
    private static int LonelyOn(int day) => day % 7 == 6 ? 4 : 5 + day % 2;

    public static IReadOnlyList<Post> Day(int day)
    {
        var spike = day == BaselineDays;
        var count = spike ? SpikePosts : PostsPerDay;
        var lonely = spike ? SpikeLonely : LonelyOn(day);
        var posts = new List<Post>(count);
        for (var i = 0; i < count; i++)
        {
            // Lonely posts spread over the day's hour rather than bunched at its start or end.
            var isLonely = i * lonely / count != (i + 1) * lonely / count;
            var author = spike ? i : (day * 37 + i) % 400;
            posts.Add(new Post($"{day:D2}-{i:D3}", Day0.AddDays(day).AddHours(12).AddSeconds(i * 10), $"@e2e_person_{author:D3}", "", isLonely));
        }
        return posts;
    }

    /// <summary>Every post of the run, with its text: the n-th lonely and the n-th other post of the run get the n-th text.</summary>
    public static IReadOnlyList<IReadOnlyList<Post>> All()
    {
        var days = new List<IReadOnlyList<Post>>();
        int lonely = 0, other = 0;
        for (var d = 0; d <= BaselineDays; d++)
        {
            days.Add(Day(d).Select(p => p with { Text = p.Lonely ? LonelyText(lonely++) : OtherText(other++) }).ToList());
        }
        return days;
    }

    private static readonly string[] LonelyOpeners =
    [
        "I feel so lonely tonight", "Another weekend completely alone again", "I have nobody to talk to anymore",
        "Feeling really isolated and lonely lately", "Nobody ever calls or texts me", "I eat dinner alone every single night",
        "I feel invisible and so alone", "Lonely again with no friends to see",
    ];

    private static readonly string[] LonelyMiddles =
    [
        "and nobody ever reaches out to me", "and I have no friends left here", "and my phone never rings at all",
        "and I miss having someone around", "and it feels like no one cares", "and the silence in my flat is heavy",
        "and I wish I had someone to talk to", "and everyone seems to have forgotten me",
    ];

    private static readonly string[] LonelyClosers = ["", " since I moved to this city", " this whole month", " after work", " on weekends", " these days", " lately"];

    private static readonly string[] Subjects =
    [
        "We", "My neighbour and I", "The kids", "My brother", "Our team", "The club", "My aunt", "The class", "Our street", "My cousins",
    ];

    private static readonly string[] Actions =
    [
        "went to the market and bought fresh bread", "repainted the garden fence", "watched the football match on TV",
        "fixed the old bicycle", "planted tomatoes in the backyard", "visited the museum downtown", "cooked a big pot of lentil soup",
        "cleaned out the garage", "took the bus to the coast", "read the news about the new bridge", "sorted the bookshelf",
        "played chess in the park",
    ];

    private static readonly string[] Times = ["this morning", "yesterday afternoon", "on Saturday", "after lunch", "last night", "before the rain"];

    private static readonly string[] Endings = ["", " and it went fine", " with some help", " as planned"];

    public static string LonelyText(int n)
    {
        var total = LonelyOpeners.Length * LonelyMiddles.Length * LonelyClosers.Length;
        if (n >= total) throw new ArgumentOutOfRangeException(nameof(n), $"only {total} distinct lonely texts");
        return $"{LonelyOpeners[n % LonelyOpeners.Length]} {LonelyMiddles[n / LonelyOpeners.Length % LonelyMiddles.Length]}{LonelyClosers[n / (LonelyOpeners.Length * LonelyMiddles.Length)]}";
    }

    public static string OtherText(int n)
    {
        var total = Subjects.Length * Actions.Length * Times.Length * Endings.Length;
        if (n >= total) throw new ArgumentOutOfRangeException(nameof(n), $"only {total} distinct other texts");
        var a = n / Subjects.Length;
        var t = a / Actions.Length;
        return $"{Subjects[n % Subjects.Length]} {Actions[a % Actions.Length]} {Times[t % Times.Length]}{Endings[t / Times.Length]}";
    }

    /// <summary>The posts as the push API's NDJSON, with an explicit region and language.</summary>
    public static string Ndjson(IEnumerable<Post> posts) => string.Join('\n', posts.Select(p => JsonSerializer.Serialize(new
    {
        source = Source,
        id = p.Id,
        publishedAt = p.PublishedAt.ToString("O", CultureInfo.InvariantCulture),
        author = p.Author,
        text = p.Text,
        language = "en",
        region = Region,
    })));
}
