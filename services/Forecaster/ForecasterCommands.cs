using System.CommandLine;

namespace Monitoring.Forecaster;

/// <summary>The offline subcommands this service adds to the <c>monitoring</c> binary.</summary>
public static class ForecasterCommands
{
    public static IEnumerable<Command> Create() => [];
}
