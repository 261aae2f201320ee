using BenchmarkDotNet.Running;
using Monitoring.Benchmarks;

// dotnet run -c Release --project benchmarks/Monitoring.Benchmarks -- generate-posts <count> <file>   (load generator input)
// dotnet run -c Release --project benchmarks/Monitoring.Benchmarks -- --filter '*'                   (BenchmarkDotNet)
if (args is ["generate-posts", var count, var path])
{
    PostGenerator.WriteNdjson(path, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture));
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(PostGenerator).Assembly).Run(args);
