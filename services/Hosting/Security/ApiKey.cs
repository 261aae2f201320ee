using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Monitoring.Hosting.Data;

namespace Monitoring.Hosting.Security;

/// <summary>API-key roles. <c>admin</c> passes every check; <c>analyst</c> passes <c>viewer</c>.</summary>
public static class ApiKeyRoles
{
    public const string Ingest = "ingest";
    public const string Viewer = "viewer";
    public const string Analyst = "analyst";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Ingest, Viewer, Analyst, Admin];

    /// <summary>The roles a key of <paramref name="role"/> holds, its own and the ones below it.</summary>
    public static IReadOnlyList<string> Implied(string role) => role switch
    {
        Admin => All,
        Analyst => [Analyst, Viewer],
        _ => [role],
    };
}

/// <summary>A stored key: only its SHA-256 hash is kept; the secret is shown once, when it is created.</summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }

    /// <summary>The non-secret part shown in listings and used to find the row (<c>mon_&lt;prefix&gt;_…</c>).</summary>
    public required string Prefix { get; set; }

    public required byte[] Hash { get; set; }

    public required string Role { get; set; }

    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}

public sealed class KeyStoreDbContext(DbContextOptions<KeyStoreDbContext> options) : DbContext(options)
{
    public const string DatabaseName = "keys";

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var key = modelBuilder.Entity<ApiKey>();
        key.ToTable("api_keys");
        key.HasIndex(k => k.Prefix).IsUnique();
        key.Property(k => k.Prefix).HasMaxLength(16);
        key.Property(k => k.Role).HasMaxLength(16);
        key.Property(k => k.Name).HasMaxLength(200);
    }
}

public sealed class KeyStoreDesignTimeFactory : IDesignTimeDbContextFactory<KeyStoreDbContext>
{
    public KeyStoreDbContext CreateDbContext(string[] args) => new(DesignTimeDatabase.Options<KeyStoreDbContext>(KeyStoreDbContext.DatabaseName));
}

/// <summary>Key format and hashing. Keys carry 192 random bits, so a fast hash is safe (no password stretching needed).</summary>
public static class ApiKeyFormat
{
    public const string Scheme = "mon";

    public static (string Secret, string Prefix, byte[] Hash) Generate()
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = $"{Scheme}_{prefix}_{Base64Url(RandomNumberGenerator.GetBytes(24))}";
        return (secret, prefix, HashOf(secret));
    }

    public static byte[] HashOf(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>The lookup prefix of a presented key, or null when it is not in our format.</summary>
    public static string? PrefixOf(string presented)
    {
        var parts = presented.Split('_', 3);
        return parts.Length == 3 && parts[0] == Scheme && parts[1].Length == 12 ? parts[1] : null;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
