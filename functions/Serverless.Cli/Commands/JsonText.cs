using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Serverless.Cli.Commands;

/// <summary>Reading payloads and printing JSON for people.</summary>
internal static class JsonText
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Progress metadata on one line for people: <c>rowsProcessed: 1200, file: a.csv</c>; null when there is none.</summary>
    public static string? DescribeMetadata(JsonElement? metadata) =>
        metadata is { ValueKind: JsonValueKind.Object } value
            ? string.Join(", ", value.EnumerateObject().Select(p => $"{p.Name}: {(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}"))
            : null;

    /// <summary>Parses <c>--payload</c>: inline JSON, or <c>@path</c> to read it from a file.</summary>
    public static async Task<JsonElement> ReadPayloadAsync(string? payload, CancellationToken cancellationToken)
    {
        if (payload is null)
        {
            return default;
        }

        string text = payload;
        if (payload.StartsWith('@'))
        {
            string path = payload[1..];
            if (!File.Exists(path))
            {
                throw new UsageException($"--payload file '{path}' does not exist.");
            }

            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new UsageException($"--payload is not valid JSON: {ex.Message}");
        }
    }

    public static string Indent(JsonElement element)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            element.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
