using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Monitoring.Hosting.Security;

namespace Monitoring.Hosting.Tests.Security;

/// <summary>The key store on the embedded SQLite database.</summary>
public sealed class ApiKeyStoreTests : IAsyncLifetime
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("keys-");
    private IHost _host = null!;

    private ApiKeyStore Store => _host.Services.GetRequiredService<ApiKeyStore>();

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Database:Directory"] = _dir.FullName;
        builder.AddKeyStore();
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Delete(true);
    }

    [Fact]
    public async Task Created_keys_verify_and_are_stored_only_hashed()
    {
        var created = await Store.CreateAsync(ApiKeyRoles.Analyst, "test");
        Assert.Matches("^mon_[0-9a-f]{12}_[A-Za-z0-9_-]{32}$", created.Secret);
        var verified = await Store.VerifyAsync(created.Secret);
        Assert.Equal(ApiKeyRoles.Analyst, verified?.Role);

        var bytes = await File.ReadAllBytesAsync(Path.Combine(_dir.FullName, "keys.db"));
        Assert.Equal(-1, bytes.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(created.Secret.Split('_', 3)[2])));
    }

    [Fact]
    public async Task Wrong_or_revoked_keys_do_not_verify()
    {
        var created = await Store.CreateAsync(ApiKeyRoles.Ingest, "test");
        var tampered = created.Secret[..^1] + (created.Secret[^1] == 'A' ? 'B' : 'A');
        Assert.Null(await Store.VerifyAsync(tampered));
        Assert.Null(await Store.VerifyAsync("not-a-key"));

        Assert.True(await Store.RevokeAsync(created.Key.Prefix));
        Assert.Null(await Store.VerifyAsync(created.Secret));
        Assert.NotNull((await Store.ListAsync()).Single(k => k.Id == created.Key.Id).RevokedAt);
        Assert.False(await Store.RevokeAsync("nosuchprefix"));
    }

    [Theory]
    [InlineData(ApiKeyRoles.Admin, new[] { "ingest", "viewer", "analyst", "admin" })]
    [InlineData(ApiKeyRoles.Analyst, new[] { "analyst", "viewer" })]
    [InlineData(ApiKeyRoles.Ingest, new[] { "ingest" })]
    public void Roles_imply_the_ones_below(string role, string[] implied) =>
        Assert.Equal(implied.Order(), ApiKeyRoles.Implied(role).Order());
}
