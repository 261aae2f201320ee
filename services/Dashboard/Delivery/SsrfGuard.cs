using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitoring.Dashboard.Storage;

namespace Monitoring.Dashboard.Delivery;

/// <summary>
/// Keeps webhooks off internal networks: a target whose host resolves to a loopback, private (RFC 1918, unique-local),
/// link-local, CGNAT, multicast or unspecified address is refused unless an admin allowed its network, in configuration
/// (<c>Dashboard:Delivery:AllowedNetworks</c>) or through <c>/api/v1/settings/allowed-networks</c>. The check runs when
/// the subscription is made and again on every connection (the connect callback checks the address actually dialled,
/// so DNS rebinding cannot slip past).
/// </summary>
public sealed class SsrfGuard(IOptions<DashboardOptions> options, IDbContextFactory<DashboardDbContext>? factory = null, TimeProvider? time = null)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly IPNetwork[] _configured = options.Value.Delivery.AllowedNetworks.Select(n => IPNetwork.Parse(n)).ToArray();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private volatile StoredNetworks? _stored;

    private sealed record StoredNetworks(IPNetwork[] Networks, DateTimeOffset Until);

    private static readonly IPNetwork[] Blocked =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    /// <summary>Whether an address may be dialled, given the networks configured and stored (as last loaded).</summary>
    public bool IsAllowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (_configured.Any(n => n.Contains(address))) return true;
        if (_stored is { } stored && stored.Networks.Any(n => n.Contains(address))) return true;
        return !Blocked.Any(n => n.Contains(address));
    }

    /// <summary>Drops the cached admin-allowed networks (after an admin changed them).</summary>
    public void Invalidate() => _stored = null;

    private async Task RefreshAsync(CancellationToken ct)
    {
        if (factory is null || (_stored is { } s && s.Until > _time.GetUtcNow())) return;
        await using var db = await factory.CreateDbContextAsync(ct);
        var cidrs = await db.AllowedNetworks.AsNoTracking().Select(n => n.Cidr).ToListAsync(ct);
        _stored = new StoredNetworks(cidrs.Select(c => IPNetwork.Parse(c)).ToArray(), _time.GetUtcNow() + CacheFor);
    }

    /// <summary>Null when the URL may be used; otherwise why not.</summary>
    public async Task<string?> CheckAsync(string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return "The webhook URL must be an absolute http or https URL.";
        }
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "The webhook URL must not carry credentials.";
        await RefreshAsync(ct);
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.IdnHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.IdnHost, ct);
        }
        catch (SocketException)
        {
            return $"The host '{uri.Host}' does not resolve.";
        }
        if (addresses.Length == 0) return $"The host '{uri.Host}' does not resolve.";
        var refused = addresses.FirstOrDefault(a => !IsAllowed(a));
        return refused is null ? null : $"The host '{uri.Host}' resolves to {refused}, a private, loopback or link-local address; an admin must allow its network (PUT /api/v1/settings/allowed-networks/{{cidr}} or Dashboard:Delivery:AllowedNetworks).";
    }

    /// <summary>An HTTP handler whose every connection is checked against the guard.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = async (context, ct) =>
        {
            await RefreshAsync(ct);
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
            var target = addresses.FirstOrDefault(IsAllowed)
                ?? throw new HttpRequestException($"Refused to connect to {host}: it resolves only to private, loopback or link-local addresses.");
            var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(target, context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
