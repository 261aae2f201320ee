using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Monitoring.Hosting.Security;

public sealed record ApiKeyInfo(Guid Id, string Prefix, string Role, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

public sealed record CreatedApiKey(ApiKeyInfo Key, string Secret);

/// <summary>The one key store every role checks against (keys live hashed in the database).</summary>
public sealed class ApiKeyStore(IDbContextFactory<KeyStoreDbContext> factory, IMemoryCache cache, TimeProvider time)
{
    /// <summary>How long a verified key is trusted without a database round trip; a revocation takes at most this long.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    public async Task<CreatedApiKey> CreateAsync(string role, string name, CancellationToken ct = default) =>
        await AddAsync(ApiKeyFormat.Generate(), role, name, ct);

    /// <summary>Stores a key whose secret comes from configuration (a deployment's bootstrap admin key), unless it is already stored.</summary>
    public async Task EnsureAsync(string secret, string role, string name, CancellationToken ct = default)
    {
        var prefix = ApiKeyFormat.PrefixOf(secret) ?? throw new ArgumentException($"An API key looks like {ApiKeyFormat.Scheme}_<12 hex>_<secret>.", nameof(secret));
        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.ApiKeys.AnyAsync(k => k.Prefix == prefix, ct))
        {
            await AddAsync((secret, prefix, ApiKeyFormat.HashOf(secret)), role, name, ct);
        }
    }

    public async Task<bool> AnyAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.ApiKeys.AnyAsync(ct);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var keys = await db.ApiKeys.AsNoTracking().ToListAsync(ct);
        return keys.OrderBy(k => k.CreatedAt).Select(Info).ToList();
    }

    /// <summary>Revokes by id or prefix; false when no such key exists.</summary>
    public async Task<bool> RevokeAsync(string idOrPrefix, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var key = Guid.TryParse(idOrPrefix, out var id)
            ? await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct)
            : await db.ApiKeys.FirstOrDefaultAsync(k => k.Prefix == idOrPrefix, ct);
        if (key is null)
        {
            return false;
        }
        key.RevokedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        cache.Remove(CacheKey(key.Prefix));
        return true;
    }

    /// <summary>The key's info when <paramref name="presented"/> is a valid, unrevoked key; null otherwise.</summary>
    public async Task<ApiKeyInfo?> VerifyAsync(string presented, CancellationToken ct = default)
    {
        var prefix = ApiKeyFormat.PrefixOf(presented);
        if (prefix is null)
        {
            return null;
        }
        var stored = await cache.GetOrCreateAsync(CacheKey(prefix), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            await using var db = await factory.CreateDbContextAsync(ct);
            return await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Prefix == prefix, ct);
        });
        if (stored is null || stored.RevokedAt is not null)
        {
            return null;
        }
        return CryptographicOperations.FixedTimeEquals(stored.Hash, ApiKeyFormat.HashOf(presented)) ? Info(stored) : null;
    }

    private async Task<CreatedApiKey> AddAsync((string Secret, string Prefix, byte[] Hash) generated, string role, string name, CancellationToken ct)
    {
        if (!ApiKeyRoles.All.Contains(role))
        {
            throw new ArgumentException($"Unknown role '{role}'. Roles: {string.Join(", ", ApiKeyRoles.All)}.", nameof(role));
        }
        var key = new ApiKey
        {
            Id = Guid.NewGuid(),
            Prefix = generated.Prefix,
            Hash = generated.Hash,
            Role = role,
            Name = name,
            CreatedAt = time.GetUtcNow(),
        };
        await using var db = await factory.CreateDbContextAsync(ct);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return new CreatedApiKey(Info(key), generated.Secret);
    }

    private static string CacheKey(string prefix) => "api-key:" + prefix;

    private static ApiKeyInfo Info(ApiKey k) => new(k.Id, k.Prefix, k.Role, k.Name, k.CreatedAt, k.RevokedAt);
}
