using Monitoring.Testing;

namespace Monitoring.Forecaster.Tests.Integration;

/// <summary>One RabbitMQ node and one PostgreSQL cluster for every test that needs real servers (started once).</summary>
[CollectionDefinition(Name)]
public sealed class InfrastructureCollection : ICollectionFixture<InfrastructureFixture>
{
    public const string Name = "infrastructure";
}
