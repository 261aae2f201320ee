namespace Monitoring.Classifier;

public static class ClassifyCommand
{
    public static int Run(string? text, string? modelsDir, string? language) => throw new NotImplementedException();
}
