using System.Collections.Concurrent;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Monitoring.Testing;

/// <summary>
/// Listens to what the system publishes on the real broker, the way another service would: its own queue bound to
/// MassTransit's exchange for a message type, envelopes read as JSON.
/// </summary>
public sealed class BusTap<T> : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private BusTap(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public ConcurrentQueue<T> Received { get; } = new();

    /// <param name="exchange">The exchange to bind to; by default MassTransit's for <typeparamref name="T"/>
    /// (<c>MassTransit:Fault</c>, with <c>T</c> = <see cref="JsonElement"/>, hears every consumer fault).</param>
    public static async Task<BusTap<T>> StartAsync(string amqpUri, string? exchange = null)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(amqpUri) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        exchange ??= $"{typeof(T).Namespace}:{typeof(T).Name}"; // MassTransit's publish topology
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
        var queue = (await channel.QueueDeclareAsync($"tap-{typeof(T).Name}-{Guid.NewGuid():N}", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, exchange, "");
        var tap = new BusTap<T>(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            using var envelope = JsonDocument.Parse(delivery.Body);
            tap.Received.Enqueue(envelope.RootElement.GetProperty("message").Deserialize<T>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return tap;
    }

    public async Task<bool> WaitUntilAsync(Func<IReadOnlyCollection<T>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition(Received.ToArray())) return true;
            await Task.Delay(100);
        }
        return condition(Received.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _channel.Dispose();
        _connection.Dispose();
    }
}
