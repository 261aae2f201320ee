using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Monitoring.Hosting.Data;

/// <summary>
/// Writes many rows with one SQL statement shape, <c>{head} VALUES (…) {tail}</c> (typically an <c>INSERT … ON
/// CONFLICT …</c>, optionally with <c>RETURNING</c>), in the way each database does fastest:
/// <list type="bullet">
/// <item>SQLite: one prepared single-row command executed per row. SQLite runs in-process, so a round trip costs
/// nothing, while parsing a new 200-row statement per chunk is what made multi-row inserts slow there.</item>
/// <item>PostgreSQL: multi-row <c>VALUES</c> lists of up to <see cref="RowsPerStatement"/> rows, because each statement
/// is a network round trip.</item>
/// </list>
/// Rows are written in the order given, so callers that sort them keep a fixed lock order across replicas.
/// </summary>
public sealed class RowWriter
{
    public const int RowsPerStatement = 200;

    readonly string _head;
    readonly string _tail;
    readonly int _columns;

    /// <param name="head">Everything before <c>VALUES</c>, e.g. <c>INSERT INTO t (a, b)</c>.</param>
    /// <param name="columns">Values per row.</param>
    /// <param name="tail">Everything after the value list, e.g. <c>ON CONFLICT (a) DO NOTHING RETURNING a</c>.</param>
    public RowWriter(string head, int columns, string tail = "")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        _head = head;
        _columns = columns;
        _tail = tail;
    }

    /// <summary>Writes the rows; returns the number of rows affected.</summary>
    public Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, IEnumerable<object[]> rows, CancellationToken ct) =>
        RunAsync(connection, transaction, rows, null, ct);

    /// <summary>Writes the rows and hands every row the statement returns (its <c>RETURNING</c> clause) to <paramref name="onReturned"/>.</summary>
    public Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, IEnumerable<object[]> rows,
        Action<DbDataReader> onReturned, CancellationToken ct) =>
        RunAsync(connection, transaction, rows, onReturned, ct);

    async Task<int> RunAsync(DbConnection connection, DbTransaction? transaction, IEnumerable<object[]> rows, Action<DbDataReader>? onReturned, CancellationToken ct)
    {
        var total = 0;
        if (IsSqlite(connection))
        {
            await using var cmd = Command(connection, transaction, 1);
            foreach (var row in rows)
            {
                Bind(cmd, row, 0);
                total += await RunAsync(cmd, onReturned, ct);
            }
            return total;
        }
        DbCommand? full = null;
        try
        {
            foreach (var chunk in rows.Chunk(RowsPerStatement))
            {
                // Full chunks share one command text; only the last, shorter one needs its own.
                DbCommand cmd;
                if (chunk.Length == RowsPerStatement) cmd = full ??= Command(connection, transaction, RowsPerStatement);
                else cmd = Command(connection, transaction, chunk.Length);
                try
                {
                    for (var i = 0; i < chunk.Length; i++) Bind(cmd, chunk[i], i);
                    total += await RunAsync(cmd, onReturned, ct);
                }
                finally
                {
                    if (cmd != full) await cmd.DisposeAsync();
                }
            }
        }
        finally
        {
            if (full is not null) await full.DisposeAsync();
        }
        return total;
    }

    static async Task<int> RunAsync(DbCommand cmd, Action<DbDataReader>? onReturned, CancellationToken ct)
    {
        if (onReturned is null) return await cmd.ExecuteNonQueryAsync(ct);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var count = 0;
        while (await reader.ReadAsync(ct))
        {
            onReturned(reader);
            count++;
        }
        return count;
    }

    void Bind(DbCommand cmd, object[] row, int rowIndex)
    {
        if (row.Length != _columns) throw new ArgumentException($"Expected {_columns} values per row, got {row.Length}.", nameof(row));
        for (var c = 0; c < _columns; c++) cmd.Parameters[rowIndex * _columns + c].Value = row[c] ?? DBNull.Value;
    }

    DbCommand Command(DbConnection connection, DbTransaction? transaction, int rowCount)
    {
        var sql = new StringBuilder(_head).Append(" VALUES ");
        var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        for (var r = 0; r < rowCount; r++)
        {
            if (r > 0) sql.Append(", ");
            sql.Append('(');
            for (var c = 0; c < _columns; c++)
            {
                var name = "@p" + (r * _columns + c).ToString(CultureInfo.InvariantCulture);
                if (c > 0) sql.Append(", ");
                sql.Append(name);
                var p = cmd.CreateParameter();
                p.ParameterName = name;
                cmd.Parameters.Add(p);
            }
            sql.Append(')');
        }
        if (_tail.Length > 0) sql.Append(' ').Append(_tail);
        cmd.CommandText = sql.ToString();
        return cmd;
    }

    static bool IsSqlite(DbConnection connection) => connection is Microsoft.Data.Sqlite.SqliteConnection;
}
