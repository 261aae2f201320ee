using MassTransit;
using MassTransit.UsageTracking;

namespace Monitoring.Hosting.Bus;

/// <summary>
/// Stands in for MassTransit's usage tracker, which after start-up posts the bus's configuration, the host's
/// framework, OS, time zone and cloud region to usage-tracking.masstransit.io. This one observes nothing and sends
/// nothing, whatever the environment says.
/// </summary>
public sealed class NoUsageTelemetry : IUsageTracker
{
    public void PreConfigureBus<T>(T configurator, IBusRegistrationContext context) where T : IBusFactoryConfigurator
    {
    }

    public void PreConfigureRider<T>(T configurator) where T : IRiderFactoryConfigurator
    {
    }
}
