using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Monitoring.Testing;

/// <summary>Small helpers the server fixtures share: free ports, running as a service user, waiting for a port.</summary>
public static class ProcessRunner
{
    public const string InstallHint = "Run scripts/install-test-deps (it installs rabbitmq-server, chromium and PostgreSQL 15 from Debian).";

    public static bool IsRoot => Environment.UserName == "root";

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a shell command line, as <paramref name="user"/> when we are root (servers refuse to run as root).</summary>
    public static Process Start(string commandLine, string? user, string? workingDirectory = null)
    {
        var psi = IsRoot && user is not null
            ? new ProcessStartInfo("su", ["-s", "/bin/sh", user, "-c", commandLine])
            : new ProcessStartInfo("/bin/sh", ["-c", commandLine]);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start: {commandLine}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static async Task<int> RunAsync(string commandLine, string? user, TimeSpan timeout)
    {
        using var process = Start(commandLine, user);
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    public static void Chown(string path, string user)
    {
        if (IsRoot)
        {
            using var p = Process.Start("chown", ["-R", $"{user}:{user}", path])!;
            p.WaitForExit();
        }
    }

    public static async Task WaitForPortAsync(int port, TimeSpan timeout, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(200);
            }
        }
        throw new TimeoutException($"Nothing listened on 127.0.0.1:{port} within {timeout.TotalSeconds:N0} s.\n{diagnostics()}");
    }

    public static void KillPidFile(string pidFile)
    {
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllLines(pidFile).FirstOrDefault()?.Trim(), out var pid))
        {
            try { Process.GetProcessById(pid).Kill(entireProcessTree: true); } catch (ArgumentException) { } catch (InvalidOperationException) { }
        }
    }

    public static string ReadTail(string path, int lines = 30) =>
        File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(lines)) : $"({path} does not exist)";
}
