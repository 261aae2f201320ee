using System.CommandLine;
using Monitoring.Classifier;
using Monitoring.Forecaster;

var root = new RootCommand("monitoring: population mental-health signals from public posts.");
foreach (var command in ClassifierCommands.Create().Concat(ForecasterCommands.Create()))
{
    root.Subcommands.Add(command);
}
return await root.Parse(args).InvokeAsync();
