using Monitoring.Testing;
using Monitoring.Collector.Intake;
using Monitoring.Collector.Privacy;

namespace Monitoring.Collector.Tests.Intake;

public sealed class PostValidatorTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly PostValidator _validator = new(new AuthorPseudonymizer("0123456789abcdef0123"u8.ToArray()), new FixedClock(Now));

    private static RawPost Valid() => new()
    {
        Source = "Mastodon", Id = " 42 ", PublishedAt = Now.AddHours(-1), Author = "@Alice", Text = "Hello <b>there</b>",
        Topics = ["Covid", "covid", " "],
    };

    [Fact]
    public void Accepts_and_normalises_a_valid_post()
    {
        var verdict = _validator.Validate(IncomingPost.Parsed(Valid()));
        var post = Assert.IsType<Contracts.CollectedPost>(verdict.Post);
        Assert.Equal("mastodon", post.Source);
        Assert.Equal("42", post.SourceId);
        Assert.Equal("mastodon:42", post.PostId);
        Assert.Equal("Hello there", post.Text);
        Assert.Equal("unknown", post.Region);
        Assert.Null(post.Language);
        Assert.Equal(["covid"], post.Topics);
        Assert.Equal(TimeSpan.Zero, post.PublishedAt.Offset);
    }

    [Fact]
    public void Author_key_is_a_keyed_hash_stable_across_case_and_not_the_handle()
    {
        var a = _validator.Validate(IncomingPost.Parsed(Valid())).Post!.AuthorKey;
        var raw = Valid();
        raw.Author = "@alice";
        var b = _validator.Validate(IncomingPost.Parsed(raw)).Post!.AuthorKey;
        var other = new PostValidator(new AuthorPseudonymizer("another-secret-0123456"u8.ToArray()), new FixedClock(Now));
        var c = other.Validate(IncomingPost.Parsed(Valid())).Post!.AuthorKey;
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Matches("^[0-9a-f]{64}$", a);
    }

    [Fact]
    public void Keeps_client_language_and_region()
    {
        var raw = Valid();
        raw.Language = "ES";
        raw.Region = "AR-C";
        var post = _validator.Validate(IncomingPost.Parsed(raw)).Post!;
        Assert.Equal("es", post.Language);
        Assert.Equal("AR-C", post.Region);
    }

    public static TheoryData<string, Action<RawPost>> Rejections => new()
    {
        { "missing_field", p => p.Id = null },
        { "missing_field", p => p.Author = "" },
        { "missing_field", p => p.PublishedAt = null },
        { "missing_field", p => p.Text = "   " },
        { "text_too_long", p => p.Text = new string('a', 40_001) },
        { "timestamp_in_future", p => p.PublishedAt = Now.AddHours(1) },
        { "timestamp_before_2006", p => p.PublishedAt = new DateTimeOffset(2005, 12, 31, 23, 59, 0, TimeSpan.Zero) },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Rejects_with_a_reason(string reason, Action<RawPost> spoil)
    {
        var raw = Valid();
        spoil(raw);
        var verdict = _validator.Validate(IncomingPost.Parsed(raw));
        Assert.False(verdict.Accepted);
        Assert.Equal(reason, verdict.Reason);
        Assert.False(string.IsNullOrEmpty(verdict.Detail));
    }

    [Fact]
    public void Text_of_exactly_the_limit_is_accepted()
    {
        var raw = Valid();
        raw.Text = new string('a', PostValidator.MaxTextLength);
        Assert.True(_validator.Validate(IncomingPost.Parsed(raw)).Accepted);
    }
}
