using System.Net.Mail;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Monitoring.Dashboard.Delivery;

/// <summary>
/// SMTP over implicit TLS (RFC 8314: TLS from the first byte, the submissions port 465), which System.Net.Mail's
/// SmtpClient cannot speak: EHLO, AUTH PLAIN when credentials are set, MAIL, RCPT, DATA, QUIT. The message itself is
/// formatted by System.Net.Mail (written to a pickup directory), so both transports send the same MIME. The server
/// certificate is validated as usual, or matched against <see cref="SmtpOptions.CertificateSha256"/> when that is set.
/// </summary>
public static class ImplicitTlsSmtp
{
    private sealed class ReplyException(int code, string text) : Exception($"SMTP {code}: {text}")
    {
        public int Code { get; } = code;
    }

    public static async Task<SendResult> SendAsync(SmtpOptions smtp, MailMessage message, TimeSpan timeout, CancellationToken ct)
    {
        var data = Format(message);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var token = cts.Token;
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(smtp.Host!, smtp.Port, token);
            await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = smtp.Host,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsTrusted(smtp, certificate, errors),
            }, token);
            using var reader = new StreamReader(tls, Encoding.ASCII, detectEncodingFromByteOrderMarks: false, leaveOpen: true);

            async Task<(int Code, string Text)> ReplyAsync()
            {
                while (true)
                {
                    var line = await reader.ReadLineAsync(token) ?? throw new IOException("The SMTP server closed the connection.");
                    if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), out var code)) throw new IOException("The SMTP server sent a malformed reply.");
                    if (line.Length == 3 || line[3] == ' ') return (code, line.Length > 4 ? line[4..] : "");
                }
            }

            async Task<int> CommandAsync(string command, params int[] expected)
            {
                await tls.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), token);
                await tls.FlushAsync(token);
                var (code, text) = await ReplyAsync();
                return expected.Contains(code) ? code : throw new ReplyException(code, text);
            }

            var (greeting, greetingText) = await ReplyAsync();
            if (greeting != 220) throw new ReplyException(greeting, greetingText);
            await CommandAsync("EHLO " + ClientName(), 250);
            if (!string.IsNullOrEmpty(smtp.Username))
            {
                var plain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{smtp.Username}\0{smtp.Password}"));
                await CommandAsync("AUTH PLAIN " + plain, 235);
            }
            await CommandAsync($"MAIL FROM:<{message.From!.Address}>", 250);
            foreach (var to in message.To.Concat(message.CC).Concat(message.Bcc))
            {
                await CommandAsync($"RCPT TO:<{to.Address}>", 250, 251);
            }
            await CommandAsync("DATA", 354);
            await tls.WriteAsync(DotStuffed(data), token);
            await CommandAsync(".", 250);
            try
            {
                await CommandAsync("QUIT", 221);
            }
            catch (Exception e) when (e is IOException or ReplyException)
            {
                // The message was accepted; a server that hangs up without answering QUIT changes nothing.
            }
            return SendResult.Ok;
        }
        catch (ReplyException e) when (e.Code is 550 or 553)
        {
            return SendResult.Fail(e.Message); // mailbox unavailable or name not allowed: as the STARTTLS path
        }
        catch (ReplyException e)
        {
            return SendResult.Retry(e.Message);
        }
        catch (AuthenticationException e)
        {
            return SendResult.Retry("TLS: " + e.Message);
        }
        catch (Exception e) when (e is IOException or SocketException || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            return SendResult.Retry(e.GetType().Name + ": " + e.Message);
        }
    }

    private static bool IsTrusted(SmtpOptions smtp, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None) return true;
        if (smtp.CertificateSha256 is not { } pin || certificate is null) return false;
        var actual = Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(actual), Encoding.ASCII.GetBytes(SmtpOptions.Fingerprint(pin)));
    }

    private static string ClientName()
    {
        var name = System.Net.Dns.GetHostName();
        return string.IsNullOrWhiteSpace(name) || name.Any(c => c is ' ' or '\r' or '\n') ? "monitoring" : name;
    }

    /// <summary>The message as System.Net.Mail writes it for a pickup directory, without the envelope headers it adds there.</summary>
    private static byte[] Format(MailMessage message)
    {
        var dir = Directory.CreateTempSubdirectory("monitoring-mail-");
        try
        {
            using (var writer = new SmtpClient { DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory, PickupDirectoryLocation = dir.FullName })
            {
                writer.Send(message);
            }
            var raw = File.ReadAllText(Directory.GetFiles(dir.FullName).Single(), Encoding.ASCII);
            var headerEnd = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var headers = raw[..(headerEnd < 0 ? raw.Length : headerEnd)].Split("\r\n")
                .Where(h => !h.StartsWith("X-Sender:", StringComparison.OrdinalIgnoreCase) && !h.StartsWith("X-Receiver:", StringComparison.OrdinalIgnoreCase));
            var text = string.Join("\r\n", headers) + (headerEnd < 0 ? "" : raw[headerEnd..]);
            return Encoding.ASCII.GetBytes(text.EndsWith("\r\n", StringComparison.Ordinal) ? text : text + "\r\n");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>RFC 5321 §4.5.2: a line that starts with a period gets another one.</summary>
    private static byte[] DotStuffed(byte[] data)
    {
        var result = new List<byte>(data.Length + 16);
        var lineStart = true;
        foreach (var b in data)
        {
            if (lineStart && b == (byte)'.') result.Add((byte)'.');
            result.Add(b);
            lineStart = b == (byte)'\n';
        }
        return result.ToArray();
    }
}
