using Monitoring.Hosting.Options;

namespace Monitoring.Hosting.Data;

/// <summary>Section <c>Database</c>. PostgreSQL (with migrations) when <see cref="Postgres"/> is set, SQLite files otherwise.</summary>
public sealed class DatabaseOptions : IValidatableSettings
{
    public const string Section = "Database";

    /// <summary>Npgsql connection string, e.g. <c>Host=127.0.0.1;Port=5432;Username=monitoring;Password=…</c>.</summary>
    public string? Postgres { get; set; }

    /// <summary>Folder of the embedded SQLite files (one per role), relative to the working directory.</summary>
    public string Directory { get; set; } = "data";

    public bool UsesPostgres => !string.IsNullOrWhiteSpace(Postgres);

    public IEnumerable<(string Member, string Message)> Validate()
    {
        if (UsesPostgres)
        {
            string? problem = null;
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(Postgres);
            }
            catch (ArgumentException e)
            {
                problem = $"is not a valid Npgsql connection string ({e.Message}).";
            }
            if (problem is not null)
            {
                yield return (nameof(Postgres), problem);
            }
        }
        else if (string.IsNullOrWhiteSpace(Directory))
        {
            yield return (nameof(Directory), "must name a folder for the SQLite files when Database:Postgres is not set.");
        }
    }

    public string SqlitePath(string name) => Path.GetFullPath(Path.Combine(Directory, $"{name}.db"));
}
