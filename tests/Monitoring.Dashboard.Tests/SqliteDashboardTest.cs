using Microsoft.EntityFrameworkCore;
using Monitoring.Dashboard.Storage;
using Monitoring.Hosting.Data;
using Monitoring.Testing;

namespace Monitoring.Dashboard.Tests;

/// <summary>A fresh embedded (SQLite) Dashboard database per test class, and the fixed dates the read-model tests use.</summary>
public abstract class SqliteDashboardTest : IAsyncLifetime, IDbContextFactory<DashboardDbContext>
{
    protected static readonly DateTimeOffset Monday = new(2024, 4, 29, 0, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("dashboard-tests-");
    private DbContextOptions<DashboardDbContext> _options = null!;

    protected FixedClock Clock { get; } = new(new DateTimeOffset(2024, 5, 10, 0, 0, 0, TimeSpan.Zero));

    public DashboardDbContext CreateDbContext() => new(_options);

    public async Task InitializeAsync()
    {
        var builder = new DbContextOptionsBuilder<DashboardDbContext>();
        DatabaseExtensions.Configure(builder, new DatabaseOptions { Directory = _dir.FullName }, DashboardDbContext.DatabaseName);
        _options = builder.Options;
        await using var db = CreateDbContext();
        await DatabaseExtensions.InitializeAsync(db, CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
        return Task.CompletedTask;
    }
}
