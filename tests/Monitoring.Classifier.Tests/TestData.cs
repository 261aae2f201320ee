namespace Monitoring.Classifier.Tests;

/// <summary>The committed fixtures and models, as copied to the test output: tests read nothing outside the repository.</summary>
internal static class TestData
{
    /// <summary>A file under Fixtures/ (small, redistributable slices of the public datasets; see Fixtures/README.md).</summary>
    public static string Fixture(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    /// <summary>The committed models as copied to the test output (the same path the role loads from).</summary>
    public static string Models => Path.Combine(AppContext.BaseDirectory, "models");
}
