using System.Diagnostics;
using System.Text.Json;
using Serverless.Testing;

namespace Serverless.Infra.Tests;

/// <summary>infra/main.bicep compiled once per test run; nested module templates are walked as one tree.</summary>
public sealed class CompiledTemplate : IDisposable
{
    private readonly string _outputDirectory = Directory.CreateTempSubdirectory("serverless-bicep-").FullName;

    public CompiledTemplate()
    {
        string script = Path.Combine(RepositoryLayout.Root, "infra", "tools", "bicep.sh");
        string main = Path.Combine(RepositoryLayout.Root, "infra", "main.bicep");
        (int exitCode, string output) = Run("bash", script, "build", main, "--outdir", _outputDirectory);
        string compiled = Path.Combine(_outputDirectory, "main.json");
        if (exitCode != 0 || !File.Exists(compiled))
        {
            // Never pass without the template: a missing CLI is a failure with the reason in the message.
            throw new InvalidOperationException(
                $"Could not compile infra/main.bicep with infra/tools/bicep.sh (exit {exitCode}). " +
                $"Run 'dotnet restore infra/tools/BicepCli.csproj' and check NuGet access.{Environment.NewLine}{output}");
        }

        Root = JsonDocument.Parse(File.ReadAllText(compiled)).RootElement.Clone();
    }

    /// <summary>The top-level ARM template.</summary>
    public JsonElement Root { get; }

    /// <summary>Every template in the tree: main's and each module's (nested deployments).</summary>
    public IEnumerable<JsonElement> Templates() => TemplatesUnder(Root);

    /// <summary>Every resource declared anywhere in the tree, modules included.</summary>
    public IEnumerable<JsonElement> Resources() => Templates().SelectMany(ResourcesOf);

    /// <summary>The resources of one type; at least one, or the test fails with the type's name.</summary>
    public JsonElement[] ResourcesOfType(string type)
    {
        JsonElement[] found = [.. Resources().Where(r => string.Equals(r.GetProperty("type").GetString(), type, StringComparison.OrdinalIgnoreCase))];
        Assert.True(found.Length > 0, $"The template declares no {type}.");
        return found;
    }

    /// <summary>
    /// Compiles a parameters file whose body (after its <c>using</c> line for infra/main.bicep) is <paramref name="parameters"/>,
    /// as <c>az deployment</c> would before deploying; the exit code and the CLI's diagnostics.
    /// </summary>
    public static (int ExitCode, string Output) BuildParameters(string parameters)
    {
        string directory = Directory.CreateTempSubdirectory("serverless-bicepparam-").FullName;
        try
        {
            // Bicep takes only relative paths in a using declaration.
            string main = Path.GetRelativePath(directory, Path.Combine(RepositoryLayout.Root, "infra", "main.bicep")).Replace('\\', '/');
            string file = Path.Combine(directory, "test.bicepparam");
            File.WriteAllText(file, $"using '{main}'{Environment.NewLine}{parameters}{Environment.NewLine}");
            return Run("bash", Path.Combine(RepositoryLayout.Root, "infra", "tools", "bicep.sh"), "build-params", file, "--stdout");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public void Dispose() => Directory.Delete(_outputDirectory, recursive: true);

    private static IEnumerable<JsonElement> TemplatesUnder(JsonElement template)
    {
        yield return template;
        foreach (JsonElement resource in ResourcesOf(template))
        {
            if (resource.GetProperty("type").GetString() == "Microsoft.Resources/deployments"
                && resource.GetProperty("properties").TryGetProperty("template", out JsonElement nested))
            {
                foreach (JsonElement inner in TemplatesUnder(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    // Language version 2.0 templates key resources by symbolic name; older ones list them.
    private static IEnumerable<JsonElement> ResourcesOf(JsonElement template) =>
        !template.TryGetProperty("resources", out JsonElement resources) ? []
        : resources.ValueKind == JsonValueKind.Array ? resources.EnumerateArray()
        : resources.EnumerateObject().Select(p => p.Value);

    private static (int ExitCode, string Output) Run(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using Process process = Process.Start(start)!;
            Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output + error.Result);
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            return (-1, $"{fileName} could not be started: {exception.Message}");
        }
    }
}
