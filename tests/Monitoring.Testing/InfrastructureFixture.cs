namespace Monitoring.Testing;

/// <summary>One RabbitMQ node and one PostgreSQL cluster shared by every test of a collection.</summary>
public sealed class InfrastructureFixture : IAsyncLifetime
{
    public RabbitMqServer RabbitMq { get; } = new();

    public PostgresServer Postgres { get; } = new();

    public async Task InitializeAsync() => await Task.WhenAll(RabbitMq.InitializeAsync(), Postgres.InitializeAsync());

    public async Task DisposeAsync() => await Task.WhenAll(RabbitMq.DisposeAsync(), Postgres.DisposeAsync());
}
