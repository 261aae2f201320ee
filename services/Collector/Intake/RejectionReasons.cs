namespace Monitoring.Collector.Intake;

/// <summary>Machine-readable reasons a post is not taken; they label the <c>monitoring.collector.posts.rejected</c> metric.</summary>
public static class RejectionReasons
{
    public const string InvalidJson = "invalid_json";
    public const string InvalidUtf8 = "invalid_utf8";
    public const string InvalidRecord = "invalid_record";
    public const string MissingField = "missing_field";
    public const string TextTooLong = "text_too_long";
    public const string TimestampInFuture = "timestamp_in_future";
    public const string TimestampTooOld = "timestamp_before_2006";
    public const string InvalidField = "invalid_field";
    public const string Deleted = "deleted";
}
