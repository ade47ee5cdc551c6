using System.Text.Json;

namespace Serverless.Core.Progress;

/// <summary>Discards progress: sync requests answer once, with their result.</summary>
internal sealed class NullProgressReporter : IProgressReporter
{
    public static NullProgressReporter Instance { get; } = new();

    public void Report(double percent, string? message = null, JsonElement? metadata = null)
    {
    }
}
