using System.Data.Common;
using Microsoft.Data.Sqlite;
using Monitoring.Hosting.Data;
using Monitoring.Testing;
using Npgsql;

namespace Monitoring.Hosting.Tests.Data;

/// <summary>
/// <see cref="RowWriter"/> writes every row, in order, with upsert semantics and RETURNING rows, on both databases —
/// including more rows than one PostgreSQL statement holds and a shorter last chunk.
/// </summary>
public abstract class RowWriterTests
{
    static readonly RowWriter Upsert = new("INSERT INTO counts (name, n)", 2, "ON CONFLICT (name) DO UPDATE SET n = counts.n + excluded.n");
    static readonly RowWriter InsertNew = new("INSERT INTO counts (name, n)", 2, "ON CONFLICT (name) DO NOTHING RETURNING name");

    protected abstract Task<DbConnection> OpenAsync();

    [Fact]
    public async Task Rows_beyond_one_statement_are_all_upserted_and_returning_reports_only_new_rows()
    {
        await using var connection = await OpenAsync();
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE counts (name TEXT PRIMARY KEY, n BIGINT NOT NULL)";
            await create.ExecuteNonQueryAsync();
        }
        var count = RowWriter.RowsPerStatement * 2 + 7;
        await using (var tx = await connection.BeginTransactionAsync())
        {
            var affected = await Upsert.ExecuteAsync(connection, tx, Enumerable.Range(0, count).Select(i => new object[] { $"k{i}", (long)i }), default);
            Assert.Equal(count, affected);
            // Again, additively: every value doubles.
            await Upsert.ExecuteAsync(connection, tx, Enumerable.Range(0, count).Select(i => new object[] { $"k{i}", (long)i }), default);
            await tx.CommitAsync();
        }
        await using (var check = connection.CreateCommand())
        {
            check.CommandText = "SELECT COUNT(*), SUM(n) FROM counts";
            await using var reader = await check.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(count, Convert.ToInt64(reader.GetValue(0)));
            Assert.Equal(2L * count * (count - 1) / 2, Convert.ToInt64(reader.GetValue(1)));
        }

        var returned = new List<string>();
        var inserted = await InsertNew.ExecuteAsync(connection, null,
            new[] { "k3", "new1", "k250", "new2" }.Select(n => new object[] { n, 1L }), r => returned.Add(r.GetString(0)), default);
        Assert.Equal(2, inserted);
        Assert.Equal(["new1", "new2"], returned.Order());
    }

    [Fact]
    public async Task A_row_with_the_wrong_number_of_values_is_refused()
    {
        await using var connection = await OpenAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => Upsert.ExecuteAsync(connection, null, [new object[] { "only-one" }], default));
    }
}

public sealed class SqliteRowWriterTests : RowWriterTests
{
    protected override async Task<DbConnection> OpenAsync()
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        return connection;
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresRowWriterTests(PostgresServer server) : RowWriterTests
{
    protected override async Task<DbConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(await server.CreateDatabaseAsync());
        await connection.OpenAsync();
        return connection;
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
