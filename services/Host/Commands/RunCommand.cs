using System.CommandLine;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Monitoring.Hosting;
using Monitoring.Hosting.Bus;
using Monitoring.Hosting.Data;

namespace Monitoring.Host.Commands;

public static class RunCommand
{
    public static Command Create()
    {
        var role = new Option<string>("--role") { Description = "Roles to run: all, or a comma-separated list of collector, classifier, forecaster, dashboard.", DefaultValueFactory = _ => "all" };
        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on, e.g. http://127.0.0.1:8080 (default http://localhost:5000)." };
        var command = new Command("run", "Run the system: every role in one process by default (in-memory bus, SQLite under ./data), or the roles given.")
        {
            role, urls,
        };
        command.TreatUnmatchedTokensAsErrors = false; // further --Section:Key=value pairs go to configuration
        command.SetAction(async (parse, ct) =>
        {
            MonitoringRoles roles;
            try
            {
                roles = MonitoringRolesParser.Parse(parse.GetValue(role)!);
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 2;
            }
            var args = parse.UnmatchedTokens.ToList();
            if (parse.GetValue(urls) is { } u) args.Add($"--urls={u}");
            var app = Roles.Build(roles, [.. args]);
            await app.StartAsync(ct);
            PrintBanner(app, roles);
            await app.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }

    private static void PrintBanner(WebApplication app, MonitoringRoles roles)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var bus = app.Configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        var db = app.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        Console.WriteLine($"""
            Monitoring is running: roles {roles}; bus {(bus.UsesRabbitMq ? "RabbitMQ" : "in-memory")}; database {(db.UsesPostgres ? "PostgreSQL" : $"SQLite in {Path.GetFullPath(db.Directory)}")}.
            Open {string.Join(" or ", addresses)}  (health: /health/ready). Press Ctrl+C to stop.
            """);
    }
}
