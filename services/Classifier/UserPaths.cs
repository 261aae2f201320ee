namespace Monitoring.Classifier;

/// <summary>
/// Relative paths on the command line mean what the user's shell means. `dotnet run --project services/Host`
/// starts the binary in the project directory (the Web SDK sets RunWorkingDirectory), so a path like
/// ../shared/data/... typed at the repository root is resolved against the shell's $PWD, not the process's.
/// </summary>
public static class UserPaths
{
    public static string Resolve(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return path;
        }
        var shell = Environment.GetEnvironmentVariable("PWD");
        if (!string.IsNullOrEmpty(shell) && Directory.Exists(shell))
        {
            var fromShell = Path.GetFullPath(path, shell);
            if (File.Exists(fromShell) || Directory.Exists(fromShell) || !File.Exists(path) && !Directory.Exists(path))
            {
                return fromShell;
            }
        }
        return path;
    }

    public static string? ResolveOptional(string? path) => path is null ? null : Resolve(path);
}
