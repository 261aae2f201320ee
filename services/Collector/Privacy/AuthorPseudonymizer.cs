using System.Security.Cryptography;
using System.Text;

namespace Monitoring.Collector.Privacy;

/// <summary>
/// Author keys are HMAC-SHA256(secret, source + ":" + lower-cased handle), hex-encoded: stable for one deployment
/// (so distinct authors can be counted and the 14-day DSM-5 window can follow an author), unlinkable without the
/// deployment secret. The raw handle is dropped right here and never stored or logged.
/// </summary>
public sealed class AuthorPseudonymizer
{
    private readonly byte[] _secret;

    public AuthorPseudonymizer(byte[] secret)
    {
        if (secret.Length < 16)
        {
            throw new ArgumentException("The author secret must be at least 16 bytes.", nameof(secret));
        }
        _secret = secret;
    }

    public string KeyOf(string source, string handle)
    {
        var input = Encoding.UTF8.GetBytes($"{source}:{handle.Trim().ToLowerInvariant()}");
        return Convert.ToHexStringLower(HMACSHA256.HashData(_secret, input));
    }
}
