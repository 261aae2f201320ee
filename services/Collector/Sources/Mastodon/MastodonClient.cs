using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Monitoring.Collector.Sources.Mastodon;

/// <summary>
/// Reads one timeline of one instance: pages of the REST timeline (oldest first from a cursor, with <c>min_id</c>)
/// and the streaming API's server-sent events (<c>event: update</c> carries a status).
/// </summary>
public sealed class MastodonClient(HttpClient http, MastodonSourceOptions options)
{
    private const int PageSize = 40;

    private string TimelinePath => options.Timeline switch
    {
        "public" => "/api/v1/timelines/public",
        "local" => "/api/v1/timelines/public?local=true",
        var t => $"/api/v1/timelines/tag/{Uri.EscapeDataString(t["hashtag:".Length..])}",
    };

    private string StreamPath => options.Timeline switch
    {
        "public" => "/api/v1/streaming/public",
        "local" => "/api/v1/streaming/public/local",
        var t => $"/api/v1/streaming/hashtag?tag={Uri.EscapeDataString(t["hashtag:".Length..])}",
    };

    /// <summary>
    /// The statuses just after <paramref name="minId"/>, oldest first; without a cursor, the newest page (a new source
    /// starts from now rather than walking the instance's history).
    /// </summary>
    public async Task<List<MastodonStatus>> PageAsync(string? minId, CancellationToken ct)
    {
        var separator = TimelinePath.Contains('?') ? '&' : '?';
        var url = $"{options.Instance.TrimEnd('/')}{TimelinePath}{separator}limit={PageSize}" + (minId is null ? "" : $"&min_id={Uri.EscapeDataString(minId)}");
        using var request = Request(url);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30)); // the client itself has no timeout, for the stream's sake
        using var response = await http.SendAsync(request, timeout.Token);
        ThrowIfUnavailable(response);
        response.EnsureSuccessStatusCode();
        var statuses = await response.Content.ReadFromJsonAsync<List<MastodonStatus>>(timeout.Token) ?? [];
        statuses.Sort((a, b) => MastodonId.Compare(a.Id, b.Id));
        return statuses;
    }

    /// <summary>Statuses from the streaming API until the server closes the stream.</summary>
    public async IAsyncEnumerable<MastodonStatus> StreamAsync([EnumeratorCancellation] CancellationToken ct)
    {
        using var request = Request(options.Instance.TrimEnd('/') + StreamPath);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        ThrowIfUnavailable(response);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream);
        await foreach (var (name, data) in ServerSentEvents.ReadAsync(reader, ct))
        {
            if (name == "update" && JsonSerializer.Deserialize<MastodonStatus>(data) is { } status)
            {
                yield return status;
            }
        }
    }

    private HttpRequestMessage Request(string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (!string.IsNullOrEmpty(options.AccessToken))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.AccessToken);
        }
        return request;
    }

    private static void ThrowIfUnavailable(HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
        {
            var retryAfter = response.Headers.RetryAfter is { } r
                ? r.Delta ?? (r.Date is { } d ? d - DateTimeOffset.UtcNow : null)
                : null;
            throw new SourceUnavailableException((int)response.StatusCode, retryAfter);
        }
    }
}

/// <summary>A minimal reader of the text/event-stream format (WHATWG HTML, "Server-sent events").</summary>
public static class ServerSentEvents
{
    public static async IAsyncEnumerable<(string Event, string Data)> ReadAsync(TextReader reader, [EnumeratorCancellation] CancellationToken ct)
    {
        var name = "message";
        var data = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0) yield return (name, data.ToString());
                name = "message";
                data.Clear();
                continue;
            }
            if (line[0] == ':') continue; // comment / heartbeat
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            if (field == "event") name = value;
            else if (field == "data") data.Append(data.Length > 0 ? "\n" : "").Append(value);
        }
    }
}
