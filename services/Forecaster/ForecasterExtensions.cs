using Monitoring.Hosting.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Monitoring.Forecaster.Alerts;
using Monitoring.Forecaster.Series;
using Monitoring.Forecaster.Storage;
using Monitoring.Hosting.Bus;
using Monitoring.Hosting.Data;
using Monitoring.Hosting.Options;

namespace Monitoring.Forecaster;

public static class ForecasterExtensions
{
    /// <summary>
    /// The Forecaster role: its database (PostgreSQL with migrations, or SQLite), the series store, the
    /// <see cref="PostsClassifiedConsumer"/> and the outbox publisher. Call before <c>AddMonitoringBus</c>.
    /// </summary>
    public static IHostApplicationBuilder AddForecaster(this IHostApplicationBuilder builder)
    {
        if (builder.Properties.ContainsKey(typeof(PostsClassifiedConsumer))) return builder;
        builder.Properties[typeof(PostsClassifiedConsumer)] = true;
        builder.AddValidatedOptions<ForecasterOptions>(ForecasterOptions.Section);
        builder.AddMonitoringDatabase<ForecasterDbContext>(ForecasterDbContext.DatabaseName);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new EfSeriesStore(sp.GetRequiredService<IDbContextFactory<ForecasterDbContext>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<ForecasterOptions>>().Value.KeptGranularities));
        builder.Services.AddSingleton<ISeriesStore>(sp => sp.GetRequiredService<EfSeriesStore>());
        builder.Services.AddSingleton<AlertEvaluator>();
        builder.Services.AddSingleton<OutboxSignal<ForecasterDbContext>>();
        builder.Services.AddSingleton<ForecasterOutboxPublisher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ForecasterOutboxPublisher>());
        builder.AddBusConsumer<PostsClassifiedConsumer>();
        return builder;
    }
}
