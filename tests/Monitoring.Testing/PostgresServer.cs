using Npgsql;

namespace Monitoring.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster on a free loopback port in a temporary directory (trust auth, fsync off), torn
/// down with the fixture. Fails with the install hint when PostgreSQL is missing; it never skips.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"monitoring-pg-{Guid.NewGuid():N}");
    private string _bin = "";

    public int Port { get; private set; }

    /// <summary>Connection string of the <c>postgres</c> database.</summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    public async Task InitializeAsync()
    {
        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderDescending().FirstOrDefault() ?? ""
            : "";
        if (_bin.Length == 0)
        {
            throw new InvalidOperationException($"PostgreSQL's initdb was not found under /usr/lib/postgresql/*/bin. {ProcessRunner.InstallHint}");
        }
        Directory.CreateDirectory(_dir);
        ProcessRunner.Chown(_dir, "postgres");
        Port = ProcessRunner.FreePort();
        var initdb = await ProcessRunner.RunAsync(
            $"{_bin}/initdb -D {_dir}/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync > {_dir}/initdb.log 2>&1", "postgres", TimeSpan.FromSeconds(60));
        if (initdb != 0)
        {
            throw new InvalidOperationException($"initdb failed ({initdb}):\n{ProcessRunner.ReadTail($"{_dir}/initdb.log")}");
        }
        var options = $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        var start = await ProcessRunner.RunAsync(
            $"{_bin}/pg_ctl -D {_dir}/data -l {_dir}/server.log -w -t 60 -o '{options}' start > {_dir}/pg_ctl.log 2>&1", "postgres", TimeSpan.FromSeconds(90));
        if (start != 0)
        {
            throw new InvalidOperationException($"PostgreSQL did not start ({start}):\n{ProcessRunner.ReadTail($"{_dir}/server.log")}");
        }
    }

    /// <summary>Creates a fresh, empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "db_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name}";
    }

    public async Task DisposeAsync()
    {
        if (_bin.Length > 0 && Directory.Exists($"{_dir}/data"))
        {
            try
            {
                await ProcessRunner.RunAsync($"{_bin}/pg_ctl -D {_dir}/data -m immediate -w stop > /dev/null 2>&1", "postgres", TimeSpan.FromSeconds(30));
            }
            catch (OperationCanceledException)
            {
                ProcessRunner.KillPidFile($"{_dir}/data/postmaster.pid");
            }
        }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
