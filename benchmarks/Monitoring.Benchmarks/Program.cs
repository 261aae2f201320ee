using BenchmarkDotNet.Running;
using Monitoring.Benchmarks;

// dotnet run -c Release --project benchmarks/Monitoring.Benchmarks -- generate-posts <count> <file>   (load generator input)
// dotnet run -c Release --project benchmarks/Monitoring.Benchmarks -- replay-demo [steps] [--hourly] (embedded demo, per-step cost)
// dotnet run -c Release --project benchmarks/Monitoring.Benchmarks -- --filter '*'                   (BenchmarkDotNet)
// dotnet run -c Release --project benchmarks/Monitoring.Benchmarks -- backtest-suite [data dir]      (issue-4 forecast comparison)
if (args is ["backtest-suite", ..])
{
    BacktestSuiteCommand.Run(args);
    return;
}
if (args is ["generate-posts", var count, var path])
{
    PostGenerator.WriteNdjson(path, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture));
    return;
}
if (args is ["replay-demo", .. var rest])
{
    var steps = rest.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
    await PipelineReplay.RunAsync(steps is null ? 30 : int.Parse(steps, System.Globalization.CultureInfo.InvariantCulture), rest.Contains("--hourly"));
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(PostGenerator).Assembly).Run(args);
