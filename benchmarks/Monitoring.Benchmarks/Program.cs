using BenchmarkDotNet.Running;
using Monitoring.Benchmarks;

// dotnet run -c Release --project benchmarks/Monitoring.Benchmarks -- generate-posts <count> <file>   (load generator input)
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
BenchmarkSwitcher.FromAssembly(typeof(PostGenerator).Assembly).Run(args);
