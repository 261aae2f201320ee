using System.ComponentModel.DataAnnotations;
using Monitoring.Hosting.Options;

namespace Monitoring.Hosting.Bus;

/// <summary>Section <c>Bus</c>. RabbitMQ when <see cref="RabbitMq"/> is set, the in-memory transport otherwise.</summary>
public sealed class BusOptions : IValidatableSettings
{
    public const string Section = "Bus";

    /// <summary>AMQP URI, e.g. <c>amqp://guest:guest@127.0.0.1:5672/</c>. Empty means the in-memory (embedded) bus.</summary>
    public string? RabbitMq { get; set; }

    /// <summary>Messages a consumer takes from its queue before acknowledging.</summary>
    [Range(1, 10_000)]
    public int PrefetchCount { get; set; } = 32;

    /// <summary>Redeliveries (with growing intervals) before a message goes to <c>&lt;queue&gt;_error</c>.</summary>
    [Range(0, 20)]
    public int RetryLimit { get; set; } = 3;

    /// <summary>Prefix for queue names, so that several deployments can share a broker.</summary>
    [RegularExpression("^[a-z0-9-]*$", ErrorMessage = "Use lower-case letters, digits and '-' only.")]
    public string QueuePrefix { get; set; } = "";

    public bool UsesRabbitMq => !string.IsNullOrWhiteSpace(RabbitMq);

    public IEnumerable<(string Member, string Message)> Validate()
    {
        if (UsesRabbitMq && (!Uri.TryCreate(RabbitMq, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps")))
        {
            yield return (nameof(RabbitMq), "must be an amqp:// or amqps:// URI, e.g. amqp://guest:guest@127.0.0.1:5672/.");
        }
    }
}
