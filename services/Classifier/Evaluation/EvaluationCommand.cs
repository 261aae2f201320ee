namespace Monitoring.Classifier.Evaluation;

public static class EvaluationCommand
{
    public static int Run(string task, string input, string? modelsDir, string? modelFile, int seed, bool json) => throw new NotImplementedException();
}
