using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace Monitoring.Forecaster.Storage;

/// <summary>
/// Adds tables introduced after an embedded (SQLite) <c>forecaster</c> database was created: SQLite schemas are created from
/// the model (<c>EnsureCreated</c>), which does nothing to an existing file, and PostgreSQL gets them from migrations.
/// Runs after the database initializer (hosted services start in registration order) and before the bus consumers.
/// </summary>
public sealed class SqliteSchemaUpgrade(IDbContextFactory<ForecasterDbContext> factory) : IHostedService
{
    /// <summary>The <c>fitted_models</c> table as EF Core's SQLite provider creates it (migration FittedModels).</summary>
    public const string FittedModelsDdl =
        "CREATE TABLE IF NOT EXISTS \"fitted_models\" (\"marker\" TEXT NOT NULL, \"region\" TEXT NOT NULL, \"granularity\" INTEGER NOT NULL, " +
        "\"topic\" TEXT NOT NULL, \"method\" TEXT NOT NULL, \"season\" INTEGER NOT NULL, \"parameters\" TEXT NOT NULL, \"points\" INTEGER NOT NULL, " +
        "\"last_bucket\" INTEGER NOT NULL, \"fitted_at\" INTEGER NOT NULL, " +
        "CONSTRAINT \"PK_fitted_models\" PRIMARY KEY (\"marker\", \"region\", \"granularity\", \"topic\"))";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite()) await db.Database.ExecuteSqlRawAsync(FittedModelsDdl, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
