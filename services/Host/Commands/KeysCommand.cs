using System.CommandLine;
using Monitoring.Hosting.Security;

namespace Monitoring.Host.Commands;

public static class KeysCommand
{
    public static Command Create()
    {
        var role = new Option<string>("--role") { Description = "ingest, viewer, analyst or admin.", Required = true };
        role.AcceptOnlyFromAmong([.. ApiKeyRoles.All]);
        var name = new Option<string>("--name") { Description = "What the key is for.", DefaultValueFactory = _ => "created from the command line" };
        var create = new Command("create", "Create an API key and print its secret once.") { role, name };
        create.SetAction((parse, ct) => WithStoreAsync(async store =>
        {
            var created = await store.CreateAsync(parse.GetValue(role)!, parse.GetValue(name)!, ct);
            Console.WriteLine($"Created {created.Key.Role} key {created.Key.Id} ({created.Key.Prefix}). The secret is shown only now:");
            Console.WriteLine(created.Secret);
            return 0;
        }, ct));

        var list = new Command("list", "List API keys (prefix, role, name, created, revoked); never the secrets.");
        list.SetAction((parse, ct) => WithStoreAsync(async store =>
        {
            foreach (var k in await store.ListAsync(ct))
            {
                Console.WriteLine($"{k.Id}  {k.Prefix}  {k.Role,-8} {k.CreatedAt:u}  {(k.RevokedAt is { } r ? $"revoked {r:u}" : "active"),-28} {k.Name}");
            }
            return 0;
        }, ct));

        var id = new Argument<string>("key") { Description = "The key's id or prefix." };
        var revoke = new Command("revoke", "Revoke an API key by id or prefix.") { id };
        revoke.SetAction((parse, ct) => WithStoreAsync(async store =>
        {
            if (await store.RevokeAsync(parse.GetValue(id)!, ct))
            {
                Console.WriteLine("Revoked.");
                return 0;
            }
            await Console.Error.WriteLineAsync($"No key with id or prefix '{parse.GetValue(id)}'.");
            return 1;
        }, ct));

        return new Command("keys", "Manage API keys: create, list, revoke.") { create, list, revoke };
    }

    private static async Task<int> WithStoreAsync(Func<ApiKeyStore, Task<int>> action, CancellationToken ct)
    {
        var builder = Roles.CreateOfflineBuilder();
        builder.AddKeyStore();
        using var host = builder.Build();
        await host.StartAsync(ct);
        try
        {
            return await action(host.Services.GetRequiredService<ApiKeyStore>());
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
