namespace Serverless.Testing;

/// <summary>Where things are in a checkout: the repository root and the shared tools beside it.</summary>
public static class RepositoryLayout
{
    /// <summary>The folder holding <c>local.settings.sample.json</c>, above the test output.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests run in (Release or Debug), read off the test output path.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>The shared tools folder next to the repository (<c>../shared</c>).</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    /// <summary>The Functions app's build output: what the Functions host runs, as <c>func start</c> does.</summary>
    public static string FunctionsAppOutput => Path.Combine(Root, "functions", "Serverless.Functions", "bin", Configuration, "net10.0");

    public static string SampleSettings => Path.Combine(Root, "local.settings.sample.json");

    private static string FindRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "local.settings.sample.json")) && File.Exists(Path.Combine(folder.FullName, "Serverless.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException("No repository root (Serverless.sln + local.settings.sample.json) above " + AppContext.BaseDirectory);
    }
}
