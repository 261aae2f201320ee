using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Monitoring.Contracts;

namespace Monitoring.Dashboard.Api;

/// <summary>Parsing of query values, shared errors and entity tags.</summary>
public static class ApiHelpers
{
    public static ProblemHttpResult BadRequest(string detail, string title = "Invalid request") =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail);

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    /// <summary>Repeated and comma-separated values, trimmed, distinct, in order.</summary>
    public static List<string> Values(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal).ToList();

    /// <summary>ISO 8601 date or date-time; without an offset it is UTC.</summary>
    public static bool TryTime(string? value, out DateTimeOffset? time)
    {
        time = null;
        if (string.IsNullOrWhiteSpace(value)) return true;
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            time = t;
            return true;
        }
        return false;
    }

    public static bool TryGranularity(string? value, out Granularity granularity)
    {
        granularity = Granularity.Day;
        return string.IsNullOrWhiteSpace(value) || Enum.TryParse(value, ignoreCase: true, out granularity) && Enum.IsDefined(granularity);
    }

    public static bool TryEnum<T>(string? value, out T? result) where T : struct, Enum
    {
        result = null;
        if (string.IsNullOrWhiteSpace(value)) return true;
        if (Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
        {
            result = parsed;
            return true;
        }
        return false;
    }

    /// <summary>A strong entity tag over the representation's bytes.</summary>
    public static string ETagOf(ReadOnlySpan<byte> body) => "\"" + Convert.ToHexStringLower(SHA256.HashData(body))[..32] + "\"";

    /// <summary>Whether <c>If-None-Match</c> names <paramref name="etag"/> (or <c>*</c>).</summary>
    public static bool NotModified(HttpRequest request, string etag)
    {
        foreach (var header in request.Headers.IfNoneMatch)
        {
            foreach (var candidate in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var c = candidate.StartsWith("W/", StringComparison.Ordinal) ? candidate[2..] : candidate;
                if (c == "*" || c == etag) return true;
            }
        }
        return false;
    }

    public static Guid KeyId(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : Guid.Empty;

    public static string KeyName(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Name) ?? "unknown";
}
