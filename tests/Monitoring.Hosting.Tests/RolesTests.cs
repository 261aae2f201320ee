namespace Monitoring.Hosting.Tests;

public sealed class RolesTests
{
    [Theory]
    [InlineData("all", MonitoringRoles.All)]
    [InlineData("classifier", MonitoringRoles.Classifier)]
    [InlineData("Collector, dashboard", MonitoringRoles.Collector | MonitoringRoles.Dashboard)]
    public void Parses(string value, MonitoringRoles expected) => Assert.Equal(expected, MonitoringRolesParser.Parse(value));

    [Theory]
    [InlineData("")]
    [InlineData("classifer")]
    public void Rejects_unknown_roles(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => MonitoringRolesParser.Parse(value));
        Assert.False(string.IsNullOrEmpty(error.Message));
    }
}
