using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Monitoring.Hosting.Bus;
using Monitoring.Hosting.Data;
using Monitoring.Hosting.Options;

namespace Monitoring.Hosting.Tests.Options;

public sealed class ValidatedOptionsTests
{
    [Fact]
    public void A_bad_setting_stops_start_up_with_a_message_naming_the_key()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Bus:PrefetchCount"] = "0";
        builder.Configuration["Bus:RabbitMq"] = "http://not-amqp";
        var error = Assert.Throws<OptionsValidationException>(() => builder.AddMonitoringBus());
        Assert.Contains("Invalid setting 'Bus:PrefetchCount'", error.Message);
        Assert.Contains("Invalid setting 'Bus:RabbitMq'", error.Message);
    }

    [Fact]
    public async Task Options_bound_later_are_validated_when_the_host_starts()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Auth:AdminKey"] = "not-a-key";
        builder.AddValidatedOptions<Monitoring.Hosting.Security.AuthOptions>(Monitoring.Hosting.Security.AuthOptions.Section);
        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Invalid setting 'Auth:AdminKey'", error.Message);
    }

    [Fact]
    public void Offline_binding_validates_the_same_way()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Postgres"] = "Host=127.0.0.1;NoSuchKeyword=1",
        }).Build();
        var error = Assert.Throws<OptionsValidationException>(() => config.BindValidated<DatabaseOptions>(DatabaseOptions.Section));
        Assert.Contains("Invalid setting 'Database:Postgres'", error.Message);
    }

    [Fact]
    public void Good_settings_bind()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:RabbitMq"] = "amqp://guest:guest@127.0.0.1:5672/",
            ["Bus:PrefetchCount"] = "64",
        }).Build();
        var bus = config.BindValidated<BusOptions>(BusOptions.Section);
        Assert.True(bus.UsesRabbitMq);
        Assert.Equal(64, bus.PrefetchCount);
    }
}
