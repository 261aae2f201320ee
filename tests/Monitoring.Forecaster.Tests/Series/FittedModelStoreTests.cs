using Microsoft.EntityFrameworkCore;
using Monitoring.Contracts;
using Monitoring.Forecaster.Storage;

namespace Monitoring.Forecaster.Tests.Series;

/// <summary>Stored forecasting models: upserted inside the batch transaction, read back per series key (SQLite here).</summary>
public class FittedModelStoreTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "fm-" + Guid.NewGuid().ToString("N"));

    protected virtual Task<TestDbFactory> CreateFactoryAsync() =>
        Task.FromResult(new TestDbFactory(new Monitoring.Hosting.Data.DatabaseOptions { Directory = _dir }));

    static FittedModelRow Row(string region, string topic, string parameters, long lastBucket) => new()
    {
        Marker = "m", Region = region, Granularity = (short)Granularity.Day, Topic = topic, Method = "holt-winters", Season = 7,
        Parameters = parameters, Points = 120, LastBucket = lastBucket, FittedAt = 1,
    };

    [Fact]
    public async Task Upserts_insert_then_replace_and_reads_match_the_exact_key()
    {
        var factory = await CreateFactoryAsync();
        await using (var db = factory.CreateDbContext()) await Monitoring.Hosting.Data.DatabaseExtensions.InitializeAsync(db, default);
        async Task Upsert(params FittedModelRow[] rows)
        {
            await using var db = factory.CreateDbContext();
            await using var tx = await db.Database.BeginTransactionAsync();
            await FittedModelStore.UpsertAsync(db, rows, default);
            await tx.CommitAsync();
        }
        await Upsert(Row("AR-B", "", "{\"alpha\":0.1}", 100), Row("AR-B", "covid", "{\"alpha\":0.2}", 100), Row("all", "", "{\"alpha\":0.3}", 100));
        await Upsert(Row("AR-B", "", "{\"alpha\":0.4}", 700));

        await using var read = factory.CreateDbContext();
        var plain = new SeriesKey("m", "AR-B", Granularity.Day);
        var models = await FittedModelStore.ReadAsync(read, [plain, new SeriesKey("m", "AR-C", Granularity.Day), new SeriesKey("m", "all", Granularity.Week)], default);
        // Only the requested series, not the topic series nor "all" (same marker and regions, another key).
        Assert.Equal([plain], models.Keys);
        Assert.Equal("{\"alpha\":0.4}", models[plain].Parameters);
        Assert.Equal(700, models[plain].LastBucket);
        Assert.Equal(3, await read.FittedModels.CountAsync());
        Assert.Equal(new SeriesKey("m", "AR-B", Granularity.Day, "covid"),
            FittedModelStore.KeyOf(await read.FittedModels.SingleAsync(r => r.Topic == "covid")));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}

/// <summary>The same on PostgreSQL, with the FittedModels migration.</summary>
[Collection(Monitoring.Forecaster.Tests.Integration.InfrastructureCollection.Name)]
public sealed class PostgresFittedModelStoreTests(Monitoring.Testing.InfrastructureFixture infra) : FittedModelStoreTests
{
    protected override async Task<TestDbFactory> CreateFactoryAsync() =>
        new(new Monitoring.Hosting.Data.DatabaseOptions { Postgres = await infra.Postgres.CreateDatabaseAsync() });
}

/// <summary>
/// An embedded database created by an older version (here: before <c>fitted_models</c> and with a column missing) gets
/// the new table and column when it is initialised again (Hosting's SqliteSchemaUpgrade).
/// </summary>
public sealed class SqliteSchemaUpgradeTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "fu-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Tables_and_columns_added_since_are_added_to_an_older_sqlite_file()
    {
        var factory = new TestDbFactory(new Monitoring.Hosting.Data.DatabaseOptions { Directory = _dir });
        await using (var db = factory.CreateDbContext())
        {
            await Monitoring.Hosting.Data.DatabaseExtensions.InitializeAsync(db, default);
            await db.Database.ExecuteSqlRawAsync("DROP TABLE fitted_models");
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE marker_rates DROP COLUMN model_version");
            await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => db.FittedModels.CountAsync());
            await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => db.MarkerRates.CountAsync(r => r.ModelVersion == ""));
        }
        for (var i = 0; i < 2; i++) // idempotent
        {
            await using var db = factory.CreateDbContext();
            await Monitoring.Hosting.Data.DatabaseExtensions.InitializeAsync(db, default);
        }
        await using (var db = factory.CreateDbContext())
        {
            await FittedModelStore.UpsertAsync(db, [new FittedModelRow
            {
                Marker = "m", Region = "AR-B", Granularity = 1, Topic = "", Method = "holt-winters", Season = 7, Parameters = "{}", Points = 1, LastBucket = 2, FittedAt = 3,
            }], default);
            Assert.Equal(2, (await db.FittedModels.SingleAsync()).LastBucket);
            Assert.Equal(0, await db.MarkerRates.CountAsync(r => r.ModelVersion == ""));
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
