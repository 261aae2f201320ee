using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Monitoring.Hosting.Options;
using Monitoring.Hosting.Security;

namespace Monitoring.Dashboard.Access;

/// <summary>
/// Who may read: viewer keys (and above) always; anyone when <see cref="DashboardOptions.AnonymousRead"/> is on,
/// then rate-limited per client address with <c>Retry-After</c> on 429.
/// </summary>
public static class DashboardAccess
{
    /// <summary>Authorization policy for public aggregates.</summary>
    public const string ReadPolicy = "dashboard-read";

    /// <summary>Rate-limiting policy for public aggregates (anonymous callers only).</summary>
    public const string RateLimitPolicy = "dashboard-anonymous";

    public static IHostApplicationBuilder AddDashboardAccess(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.BindValidated<DashboardOptions>(DashboardOptions.Section);
        builder.Services.AddAuthorizationBuilder().AddPolicy(ReadPolicy, p =>
        {
            if (options.AnonymousRead)
            {
                p.RequireAssertion(_ => true);
            }
            else
            {
                p.RequireAuthenticatedUser().RequireRole(ApiKeyRoles.Viewer);
            }
        });
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(RateLimitPolicy, context =>
            {
                if (context.User.Identity?.IsAuthenticated == true)
                {
                    return RateLimitPartition.GetNoLimiter("key:" + context.User.FindFirstValue(ClaimTypes.NameIdentifier));
                }
                var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter("ip:" + client, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.AnonymousPermitLimit,
                    Window = TimeSpan.FromSeconds(options.AnonymousWindowSeconds),
                    QueueLimit = 0,
                });
            });
            o.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
                    : options.AnonymousWindowSeconds;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = $"Anonymous access is limited to {options.AnonymousPermitLimit} requests per {options.AnonymousWindowSeconds} s per client. Retry after {retryAfter} s, or use an API key.",
                    },
                });
            };
        });
        return builder;
    }
}
