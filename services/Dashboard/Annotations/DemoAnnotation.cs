using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Monitoring.Dashboard.Storage;

namespace Monitoring.Dashboard.Annotations;

/// <summary>
/// With the demo replay on (the embedded default), adds the simulated scenario's crisis event (samples/demo-scenario.json,
/// copied beside the binary) as an annotation, so the explorer draws it as an analyst would have. Its date follows the
/// replay's shift (Collector's DemoReplayer: the last simulated day becomes yesterday). Added once: an annotation with
/// the same title is left alone, and a deleted one stays deleted only until the next start.
/// </summary>
public sealed class DemoAnnotation(IConfiguration configuration, IDbContextFactory<DashboardDbContext> factory, TimeProvider time) : IHostedService
{
    public const string CreatedBy = "demo scenario";

    public string ScenarioFile { get; init; } = Path.Combine(AppContext.BaseDirectory, "samples", "demo-scenario.json");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!string.Equals(configuration["Collector:Demo:Enabled"], "true", StringComparison.OrdinalIgnoreCase) || !File.Exists(ScenarioFile)) return;
        using var scenario = JsonDocument.Parse(await File.ReadAllTextAsync(ScenarioFile, cancellationToken));
        var days = scenario.RootElement.GetProperty("days").GetInt32();
        var crisis = scenario.RootElement.GetProperty("crisis");
        var title = crisis.GetProperty("title").GetString()!;
        var yesterday = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime.Date.AddDays(-1));
        var date = yesterday.AddDays(crisis.GetProperty("startDay").GetInt32() - (days - 1));
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (await db.Annotations.AnyAsync(a => a.Title == title, cancellationToken)) return;
        db.Annotations.Add(new Annotation
        {
            Id = Guid.NewGuid(),
            Title = title,
            Date = date,
            Region = crisis.GetProperty("region").GetString()!,
            CreatedAt = time.GetUtcNow(),
            CreatedBy = CreatedBy,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
