using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Monitoring.Hosting.Options;

namespace Monitoring.Hosting.Data;

public static class DatabaseExtensions
{
    /// <summary>
    /// Registers a role's DbContext (scoped, and as a factory for background services) on PostgreSQL or SQLite,
    /// a start-up step that migrates PostgreSQL (or creates the SQLite file), and a readiness check.
    /// </summary>
    /// <param name="name">The role's short name: its SQLite file and its PostgreSQL migrations-history table.</param>
    public static IHostApplicationBuilder AddMonitoringDatabase<TContext>(this IHostApplicationBuilder builder, string name)
        where TContext : DbContext
    {
        builder.AddValidatedOptions<DatabaseOptions>(DatabaseOptions.Section);
        var options = builder.Configuration.BindValidated<DatabaseOptions>(DatabaseOptions.Section); // fail before anything starts
        builder.Services.AddDbContextFactory<TContext>(o => Configure(o, options, name), ServiceLifetime.Singleton);
        builder.Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext());
        builder.Services.AddHostedService<DatabaseInitializer<TContext>>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck<TContext>>($"database-{name}", tags: ["ready"]);
        return builder;
    }

    public static void Configure(DbContextOptionsBuilder o, DatabaseOptions options, string name)
    {
        if (options.UsesPostgres)
        {
            o.UseNpgsql(options.Postgres, npgsql => npgsql.MigrationsHistoryTable($"__ef_migrations_{name}"));
        }
        else
        {
            var path = options.SqlitePath(name);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // Default Timeout: Microsoft.Data.Sqlite retries a busy database until the command timeout.
            o.UseSqlite($"Data Source={path};Default Timeout=30;Pooling=True");
            o.AddInterceptors(SqliteSynchronousNormal.Instance);
        }
        o.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }

    /// <summary>Applies PostgreSQL migrations (EF Core takes a lock, so replicas may start together) or creates the SQLite schema.</summary>
    public static async Task InitializeAsync(DbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        else
        {
            await db.Database.EnsureCreatedAsync(cancellationToken);
            // A file created by an older version gets the tables and columns added since.
            await SqliteSchemaUpgrade.ApplyAsync(db, cancellationToken);
            // WAL lets the dashboard read while the forecaster writes.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    private sealed class DatabaseInitializer<TContext>(IDbContextFactory<TContext> factory, ILogger<DatabaseInitializer<TContext>> logger)
        : IHostedService where TContext : DbContext
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            await InitializeAsync(db, cancellationToken);
            logger.LogInformation("Database for {Context} ready ({Provider})", typeof(TContext).Name, db.Database.ProviderName);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class DatabaseHealthCheck<TContext>(IDbContextFactory<TContext> factory) : IHealthCheck where TContext : DbContext
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var db = await factory.CreateDbContextAsync(cancellationToken);
                return await db.Database.CanConnectAsync(cancellationToken)
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy("cannot connect");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy(e.GetType().Name, e);
            }
        }
    }
}

/// <summary>
/// In WAL mode, <c>synchronous=NORMAL</c> keeps the database consistent on power loss (a crash can drop only the last
/// commits, whole) and saves an fsync per transaction. It is a per-connection setting, hence an interceptor.
/// </summary>
internal sealed class SqliteSynchronousNormal : DbConnectionInterceptor
{
    public static readonly SqliteSynchronousNormal Instance = new();

    public override void ConnectionOpened(System.Data.Common.DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=NORMAL;";
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=NORMAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>
/// What <c>dotnet ef migrations add</c> uses to build a context: PostgreSQL from <c>MONITORING_DESIGN_POSTGRES</c>
/// (a throwaway cluster is fine; migrations are generated from the model, not the database).
/// </summary>
public static class DesignTimeDatabase
{
    public static DbContextOptions<TContext> Options<TContext>(string name) where TContext : DbContext
    {
        var builder = new DbContextOptionsBuilder<TContext>();
        Configure(builder, name);
        return builder.Options;
    }

    private static void Configure(DbContextOptionsBuilder builder, string name) =>
        DatabaseExtensions.Configure(builder, new DatabaseOptions
        {
            Postgres = Environment.GetEnvironmentVariable("MONITORING_DESIGN_POSTGRES") ?? "Host=127.0.0.1;Port=55432;Username=postgres",
        }, name);
}
