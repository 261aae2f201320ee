using System.CommandLine;
using Monitoring.Classifier;
using Monitoring.Forecaster;
using Monitoring.Host.Commands;

var root = new RootCommand("monitoring: population-level mental-health signals from public posts. `monitoring run` starts everything.")
{
    RunCommand.Create(),
    ImportCommand.Create(),
    KeysCommand.Create(),
};
foreach (var command in ClassifierCommands.Create().Concat(ForecasterCommands.Create()))
{
    root.Subcommands.Add(command);
}
return await root.Parse(args).InvokeAsync();
