using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Monitoring.Hosting.Data;

/// <summary>
/// Brings an embedded (SQLite) database created by an older version up to the current model. PostgreSQL gets schema
/// changes from migrations; SQLite files are created from the model (<c>EnsureCreated</c>), which leaves an existing
/// file alone, so without this a newer binary would fail on the first query that touches a new table or column.
/// Additive only, which is how this project's schemas change: missing tables and indexes are created from the model's
/// own CREATE script, missing columns are added (NOT NULL columns with the type's zero value as default). Nothing is
/// dropped or retyped.
/// </summary>
public static partial class SqliteSchemaUpgrade
{
    /// <summary>Applies the missing parts; returns the number of columns added (tables and indexes are created silently).</summary>
    public static async Task<int> ApplyAsync(DbContext db, CancellationToken ct)
    {
        var changes = 0;
        // Tables and indexes: the model's CREATE statements, made idempotent.
        foreach (var statement in db.Database.GenerateCreateScript().Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var idempotent = CreateStatement().Replace(statement, m => m.Value + " IF NOT EXISTS", 1);
            if (idempotent != statement) await ExecuteAsync(db, idempotent, ct);
        }
        // Columns of existing tables.
        foreach (var entity in db.Model.GetEntityTypes())
        {
            if (entity.GetTableName() is not { } table) continue;
            var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
            var existing = await ColumnsAsync(db, table, ct);
            foreach (var property in entity.GetProperties())
            {
                if (property.GetColumnName(store) is not { } column || existing.Contains(column)) continue;
                var type = property.GetColumnType();
                var definition = $"ALTER TABLE \"{table}\" ADD COLUMN \"{column}\" {type}";
                if (!property.IsNullable) definition += " NOT NULL DEFAULT " + ZeroLiteral(property, type);
                await ExecuteAsync(db, definition, ct);
                existing.Add(column);
                changes++;
            }
        }
        return changes;
    }

    /// <summary>
    /// The value existing rows get: the property's configured default, else its CLR type's zero (a Guid's zero, an enum's
    /// first name…) as the provider stores it; else the zero of the column's SQLite affinity.
    /// </summary>
    private static string ZeroLiteral(IProperty property, string type)
    {
        var clr = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
        var zero = property.GetDefaultValue() ?? (clr == typeof(string) ? "" : clr.IsValueType ? Activator.CreateInstance(clr) : null);
        return zero is not null && property.FindRelationalTypeMapping() is { } mapping ? mapping.GenerateSqlLiteral(zero) : AffinityZero(type);
    }

    private static string AffinityZero(string type) => type.ToUpperInvariant() switch
    {
        var t when t.Contains("INT", StringComparison.Ordinal) => "0",
        var t when t.Contains("REAL", StringComparison.Ordinal) || t.Contains("FLOA", StringComparison.Ordinal) || t.Contains("DOUB", StringComparison.Ordinal) => "0.0",
        var t when t.Contains("BLOB", StringComparison.Ordinal) => "X''",
        _ => "''",
    };

    private static async Task<HashSet<string>> ColumnsAsync(DbContext db, string table, CancellationToken ct)
    {
        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info(@table)";
        var p = command.CreateParameter();
        p.ParameterName = "@table";
        p.Value = table;
        command.Parameters.Add(p);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) columns.Add(reader.GetString(0));
        return columns;
    }

    private static Task<int> ExecuteAsync(DbContext db, string sql, CancellationToken ct) =>
#pragma warning disable EF1002 // statements come from the model's own DDL and its column names, never from input
        db.Database.ExecuteSqlRawAsync(sql, ct);
#pragma warning restore EF1002

    [GeneratedRegex(@"^CREATE (UNIQUE )?(TABLE|INDEX)", RegexOptions.CultureInvariant)]
    private static partial Regex CreateStatement();
}
