using System.Diagnostics;
using RabbitMQ.Client;

namespace Monitoring.Testing;

/// <summary>
/// A private RabbitMQ node (its own node name, AMQP and distribution ports, data and log directories, no plugins),
/// started on loopback for the fixture's lifetime and killed afterwards. Fails with the install hint when
/// rabbitmq-server is missing; it never skips.
/// </summary>
public sealed class RabbitMqServer : IAsyncLifetime
{
    private const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"monitoring-rabbit-{Guid.NewGuid():N}");
    private Process? _process;

    public int Port { get; private set; }

    public string AmqpUri => $"amqp://guest:guest@127.0.0.1:{Port}/";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ServerScript))
        {
            throw new InvalidOperationException($"{ServerScript} was not found. {ProcessRunner.InstallHint}");
        }
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "enabled_plugins"), "[].");
        ProcessRunner.Chown(_dir, "rabbitmq");
        Port = ProcessRunner.FreePort();
        var distPort = ProcessRunner.FreePort();
        var node = $"monitoring-test-{Port}@localhost";
        var env = string.Join(' ',
            $"HOME={_dir}",
            $"RABBITMQ_NODENAME={node}",
            "RABBITMQ_NODE_IP_ADDRESS=127.0.0.1",
            $"RABBITMQ_NODE_PORT={Port}",
            $"RABBITMQ_DIST_PORT={distPort}",
            $"RABBITMQ_MNESIA_BASE={_dir}/mnesia",
            $"RABBITMQ_LOG_BASE={_dir}/log",
            $"RABBITMQ_PID_FILE={_dir}/rabbit.pid",
            $"RABBITMQ_ENABLED_PLUGINS_FILE={_dir}/enabled_plugins",
            $"RABBITMQ_CONFIG_FILE={_dir}/rabbitmq");
        File.WriteAllText(Path.Combine(_dir, "rabbitmq.conf"), "loopback_users = none\n");
        ProcessRunner.Chown(_dir, "rabbitmq");
        _process = ProcessRunner.Start($"cd {_dir} && exec env {env} {ServerScript} > {_dir}/stdout.log 2>&1", "rabbitmq", _dir);
        await ProcessRunner.WaitForPortAsync(Port, TimeSpan.FromSeconds(90), () => ProcessRunner.ReadTail($"{_dir}/stdout.log"));
        await WaitForAmqpAsync();
    }

    private async Task WaitForAmqpAsync()
    {
        var factory = new ConnectionFactory { Uri = new Uri(AmqpUri) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await using var connection = await factory.CreateConnectionAsync();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    /// <summary>Messages waiting in a queue (via a passive declare), or -1 when the queue does not exist.</summary>
    public async Task<long> MessageCountAsync(string queue)
    {
        var factory = new ConnectionFactory { Uri = new Uri(AmqpUri) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            var ok = await channel.QueueDeclarePassiveAsync(queue);
            return ok.MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return -1;
        }
    }

    public Task DisposeAsync()
    {
        ProcessRunner.KillPidFile($"{_dir}/rabbit.pid");
        try { _process?.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process?.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }
}
