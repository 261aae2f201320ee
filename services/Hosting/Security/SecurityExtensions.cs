using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Monitoring.Hosting.Data;
using Monitoring.Hosting.Options;

namespace Monitoring.Hosting.Security;

/// <summary>Authorization policy names, one per key role.</summary>
public static class MonitoringPolicies
{
    public const string Ingest = ApiKeyRoles.Ingest;
    public const string Viewer = ApiKeyRoles.Viewer;
    public const string Analyst = ApiKeyRoles.Analyst;
    public const string Admin = ApiKeyRoles.Admin;
}

public static class SecurityExtensions
{
    /// <summary>The key store (shared by every role), API-key authentication, and one policy per role.</summary>
    public static IHostApplicationBuilder AddApiKeys(this IHostApplicationBuilder builder)
    {
        if (builder.Properties.ContainsKey(typeof(ApiKeyStore)))
        {
            return builder;
        }
        builder.Properties[typeof(ApiKeyStore)] = true;
        builder.AddKeyStore();
        builder.AddValidatedOptions<AuthOptions>(AuthOptions.Section);
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        var authorization = builder.Services.AddAuthorizationBuilder();
        foreach (var role in ApiKeyRoles.All)
        {
            authorization.AddPolicy(role, p => p.RequireAuthenticatedUser().RequireRole(role));
        }
        builder.Services.AddHostedService<AdminKeyBootstrapper>();
        return builder;
    }

    /// <summary>Just the store, for offline commands such as <c>monitoring keys</c>.</summary>
    public static IHostApplicationBuilder AddKeyStore(this IHostApplicationBuilder builder)
    {
        builder.AddMonitoringDatabase<KeyStoreDbContext>(KeyStoreDbContext.DatabaseName);
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ApiKeyStore>();
        return builder;
    }

    private sealed class AdminKeyBootstrapper(ApiKeyStore store, IOptions<AuthOptions> options) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (!string.IsNullOrEmpty(options.Value.AdminKey))
            {
                await store.EnsureAsync(options.Value.AdminKey, ApiKeyRoles.Admin, "configured admin key", cancellationToken);
            }
            else if (options.Value.CreateAdminKeyWhenEmpty && !await store.AnyAsync(cancellationToken))
            {
                var created = await store.CreateAsync(ApiKeyRoles.Admin, "first-start admin key", cancellationToken);
                // Printed once to the console, deliberately not logged: a secret must not reach log storage.
                Console.WriteLine($"""

                    An admin API key was created for this new installation. It is shown only this once:

                        {created.Secret}

                    Send it as the X-Api-Key header. Create more with `monitoring keys create --role ingest|viewer|analyst|admin`.

                    """);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
