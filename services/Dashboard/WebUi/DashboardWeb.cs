using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace Monitoring.Dashboard.WebUi;

/// <summary>
/// The analyst's web dashboard (services/Dashboard/web, TypeScript + ECharts built by Vite from the .NET build) served at
/// <c>/</c> from resources embedded in this assembly, so a single binary carries it. Pages use hash routes (<c>/#/explorer</c>),
/// so only <c>/</c> and the hashed files under <c>/assets/</c> are served.
/// </summary>
public static class DashboardWeb
{
    private const string Prefix = "web/";

    /// <summary>Shown instead of the dashboard when the assembly was built without it (<c>-p:SkipDashboardWeb=true</c>).</summary>
    private const string Missing = """
        <!doctype html><html lang="en"><meta charset="utf-8"><title>Monitoring</title>
        <p>The web dashboard was not built into this binary (built with -p:SkipDashboardWeb=true). The API is at <a href="/api">/api</a>.</p></html>
        """;

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".json"] = "application/json",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".txt"] = "text/plain; charset=utf-8",
        [".map"] = "application/json",
    };

    /// <summary>
    /// Content Security Policy of the dashboard: scripts and data from this origin only. ECharts sets inline styles, and
    /// PNG export uses data URLs.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

    public static IEndpointRouteBuilder MapDashboardWeb(this IEndpointRouteBuilder app)
    {
        var assembly = typeof(DashboardWeb).Assembly;
        var names = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .ToDictionary(n => n[Prefix.Length..], n => n, StringComparer.Ordinal);

        app.MapGet("/", (HttpContext http) => Serve(http, assembly, names, "index.html", immutable: false))
            .ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/index.html", (HttpContext http) => Serve(http, assembly, names, "index.html", immutable: false))
            .ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/assets/{file}", (HttpContext http, string file) => Serve(http, assembly, names, "assets/" + file, immutable: true))
            .ExcludeFromDescription().AllowAnonymous();
        // What the page needs to know about this deployment: whether the data are the simulated demo posts.
        app.MapGet("/ui/config.json", (IConfiguration configuration) =>
            Results.Json(new { demo = string.Equals(configuration["Collector:Demo:Enabled"], "true", StringComparison.OrdinalIgnoreCase) }))
            .ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/favicon.svg", (HttpContext http) => Serve(http, assembly, names, "favicon.svg", immutable: false, maxAge: 86_400))
            .ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    private static IResult Serve(HttpContext http, Assembly assembly, Dictionary<string, string> names, string path, bool immutable, int maxAge = 0)
    {
        if (!names.TryGetValue(path, out var resource))
        {
            return path == "index.html"
                ? Results.Content(Missing, "text/html; charset=utf-8")
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No file '/{path}'.");
        }
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // Vite puts a content hash in every asset's name, so assets never change; index.html is revalidated.
        headers.CacheControl = immutable ? "public, max-age=31536000, immutable" : maxAge > 0 ? $"public, max-age={maxAge}" : "no-cache";
        if (path.EndsWith(".html", StringComparison.Ordinal))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
        }
        var type = ContentTypes.TryGetValue(Path.GetExtension(path), out var t) ? t : "application/octet-stream";
        return Results.Stream(assembly.GetManifestResourceStream(resource)!, type);
    }
}
