using System.Buffers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Monitoring.Collector.Intake;
using Monitoring.Hosting.Security;

namespace Monitoring.Collector.Api;

/// <summary>The push API: <c>POST /api/v1/posts</c> with a JSON array, one JSON object, or NDJSON.</summary>
public static class PostsEndpoints
{
    public static IEndpointRouteBuilder MapPostsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/posts", PushAsync)
            .RequireAuthorization(MonitoringPolicies.Ingest)
            .WithName("PushPosts")
            .WithTags("Posts")
            .WithSummary("Push public posts for classification (JSON array or NDJSON; at most 5,000 posts or 10 MB).")
            .Accepts<RawPost[]>("application/json", "application/x-ndjson")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    private static async Task<Results<Ok<IntakeSummary>, ProblemHttpResult>> PushAsync(
        HttpRequest request, PostIntake intake, IOptions<CollectorOptions> options, CancellationToken ct)
    {
        var limits = options.Value;
        var body = await ReadLimitedAsync(request, limits.MaxRequestBytes, ct);
        if (body is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large",
                detail: $"The body exceeds {limits.MaxRequestBytes:N0} bytes; split it into several requests.");
        }
        var isJsonObject = request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true
            && FirstByte(body) == (byte)'{';
        var incoming = isJsonObject ? [PostParser.ParseOne(body)] : PostParser.ParseBody(body);
        if (incoming.Count == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No posts",
                detail: "Send a JSON array of posts, one JSON object, or NDJSON (one post per line).");
        }
        if (incoming.Count > limits.MaxPostsPerRequest)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too many posts",
                detail: $"The request holds {incoming.Count:N0} posts; at most {limits.MaxPostsPerRequest:N0} are accepted per request.");
        }
        var summary = await intake.TakeAsync(incoming, "push", "push", ct: ct);
        if (summary.Accepted + summary.Duplicates == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Every post was rejected",
                detail: "No post in the request could be taken; each result gives its reason.",
                extensions: new Dictionary<string, object?> { ["results"] = summary.Results });
        }
        return TypedResults.Ok(summary);
    }

    /// <summary>The body, or null when it is larger than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }
        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(request.ContentLength ?? 64 * 1024, limit) + 1);
        while (true)
        {
            var memory = buffer.GetMemory(64 * 1024);
            var read = await request.Body.ReadAsync(memory, ct);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }
            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                return null;
            }
        }
    }

    private static byte FirstByte(byte[] body)
    {
        foreach (var b in body)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return b;
        }
        return 0;
    }
}
