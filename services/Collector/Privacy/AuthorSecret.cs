using System.Security.Cryptography;
using System.Text;
using Monitoring.Hosting.Data;

namespace Monitoring.Collector.Privacy;

public static class AuthorSecret
{
    /// <summary>
    /// The configured secret, or, in the embedded mode (SQLite), one generated at first start and kept in the data
    /// folder beside the databases so that author keys stay stable across restarts.
    /// </summary>
    public static byte[] Resolve(CollectorOptions collector, DatabaseOptions database)
    {
        if (!string.IsNullOrEmpty(collector.AuthorSecret))
        {
            return Encoding.UTF8.GetBytes(collector.AuthorSecret);
        }
        if (database.UsesPostgres)
        {
            throw new InvalidOperationException("Invalid setting 'Collector:AuthorSecret': required when Database:Postgres is set (at least 16 characters, from a secret store).");
        }
        var path = database.SqlitePath("author-secret").Replace(".db", ".key", StringComparison.Ordinal);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (!File.Exists(path))
        {
            var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
                stream.Write(Encoding.UTF8.GetBytes(fresh));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first; use theirs.
            }
        }
        return Encoding.UTF8.GetBytes(File.ReadAllText(path).Trim());
    }
}
