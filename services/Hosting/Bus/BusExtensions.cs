using MassTransit;
using MassTransit.UsageTracking;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Monitoring.Hosting.Options;

namespace Monitoring.Hosting.Bus;

public static class BusExtensions
{
    /// <summary>
    /// Adds a consumer to the process's bus. Roles call this from their <c>AddX</c> entry point; the bus itself is
    /// built once by <see cref="AddMonitoringBus"/> after every role has contributed.
    /// </summary>
    public static IHostApplicationBuilder AddBusConsumer<TConsumer>(this IHostApplicationBuilder builder)
        where TConsumer : class, IConsumer
    {
        Registrations(builder).Add(x => x.AddConsumer<TConsumer>());
        return builder;
    }

    /// <summary>Lets a role register something other than a plain consumer (a definition, a saga…).</summary>
    public static IHostApplicationBuilder AddBusRegistration(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator> configure)
    {
        Registrations(builder).Add(configure);
        return builder;
    }

    /// <summary>
    /// MassTransit 8.5 on RabbitMQ (quorum queues, publisher confirms) when <c>Bus:RabbitMq</c> is set, the
    /// in-memory transport otherwise. Every endpoint retries with growing intervals, after which MassTransit moves
    /// the message and its exception to <c>&lt;queue&gt;_error</c>. Health checks are registered by MassTransit
    /// with the <c>ready</c> tag and so join <c>/health/ready</c>. MassTransit's usage telemetry (a report of the
    /// bus's configuration and host sent to an outside server after start) is off: a health-data system never
    /// phones home.
    /// </summary>
    public static IHostApplicationBuilder AddMonitoringBus(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<BusOptions>(BusOptions.Section);
        var options = builder.Configuration.BindValidated<BusOptions>(BusOptions.Section); // fail before anything starts
        var registrations = Registrations(builder);

        // MassTransit registers its tracker with TryAdd, so this one wins. Its own tracker honours the documented
        // switch below, but the environment variable MASSTRANSIT_USAGE_TELEMETRY=true would switch it back on.
        builder.Services.TryAddSingleton<IUsageTracker, NoUsageTelemetry>();
        builder.Services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(options.QueuePrefix, includeNamespace: false));
            foreach (var register in registrations)
            {
                register(x);
            }
            x.AddConfigureEndpointsCallback((_, _, endpoint) =>
            {
                endpoint.UseMessageRetry(r => r.Intervals(Enumerable.Range(0, options.RetryLimit)
                    .Select(i => TimeSpan.FromMilliseconds(200 * Math.Pow(5, i))).ToArray()));
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.SetQuorumQueue();
                    rabbit.PrefetchCount = options.PrefetchCount;
                }
            });

            if (options.UsesRabbitMq)
            {
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(new Uri(options.RabbitMq!), h => h.PublisherConfirmation = true);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            }
        });
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(60);
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        return builder;
    }

    private static List<Action<IBusRegistrationConfigurator>> Registrations(IHostApplicationBuilder builder)
    {
        if (builder.Properties.TryGetValue(typeof(BusExtensions), out var existing))
        {
            return (List<Action<IBusRegistrationConfigurator>>)existing;
        }
        var list = new List<Action<IBusRegistrationConfigurator>>();
        builder.Properties[typeof(BusExtensions)] = list;
        return list;
    }
}
