using Monitoring.Testing;

namespace Monitoring.Integration.Tests;

[CollectionDefinition(Name)]
public sealed class InfrastructureCollection : ICollectionFixture<InfrastructureFixture>
{
    public const string Name = "RabbitMQ and PostgreSQL";
}
