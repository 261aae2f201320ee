using System.Threading.Channels;
using Monitoring.Dashboard.ReadModel;

namespace Monitoring.Dashboard.Alerts;

/// <summary>Fans incident changes out to the live streams (<c>GET /api/v1/alerts/stream</c>) of this process.</summary>
public sealed class AlertBroadcaster
{
    private readonly Lock _gate = new();
    private readonly List<Channel<AlertChange>> _listeners = [];

    public int Listeners
    {
        get
        {
            lock (_gate) return _listeners.Count;
        }
    }

    public void Publish(AlertChange change)
    {
        lock (_gate)
        {
            foreach (var listener in _listeners)
            {
                listener.Writer.TryWrite(change); // bounded, drop-oldest: a slow client never blocks the consumer
            }
        }
    }

    /// <summary>A listener's queue; dispose it to stop listening.</summary>
    public Listener Subscribe()
    {
        var channel = Channel.CreateBounded<AlertChange>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate) _listeners.Add(channel);
        return new Listener(channel.Reader, () =>
        {
            lock (_gate) _listeners.Remove(channel);
        });
    }

    public sealed class Listener(ChannelReader<AlertChange> reader, Action remove) : IDisposable
    {
        public ChannelReader<AlertChange> Reader { get; } = reader;

        public void Dispose() => remove();
    }
}
