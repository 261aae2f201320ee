using System.CommandLine;

namespace Monitoring.Classifier;

/// <summary>The offline subcommands this service adds to the <c>monitoring</c> binary.</summary>
public static class ClassifierCommands
{
    public static IEnumerable<Command> Create() => [];
}
