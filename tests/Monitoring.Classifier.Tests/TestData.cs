namespace Monitoring.Classifier.Tests;

/// <summary>Locates ../shared/data (relative to the repository root) and the committed models.</summary>
internal static class TestData
{
    public static string Root { get; } = FindRoot();

    public static string Shared(params string[] parts) => Path.Combine([Root, "..", "shared", "data", .. parts]);

    /// <summary>The committed models as copied to the test output (the same path the role loads from).</summary>
    public static string Models => Path.Combine(AppContext.BaseDirectory, "models");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found above " + AppContext.BaseDirectory);
    }
}
