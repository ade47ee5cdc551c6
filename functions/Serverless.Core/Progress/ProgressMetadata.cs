using System.Globalization;
using System.Text.Json;

namespace Serverless.Core.Progress;

/// <summary>
/// The bounds of a handler's progress metadata: a JSON object of at most <see cref="MaxKeys"/> properties and
/// <see cref="MaxBytes"/> bytes of UTF-8 JSON. Metadata past them is not sent: it is replaced by
/// <c>{"metadataDropped": "reason"}</c>, so the report still counts, the job goes on and no row grows past its bound.
/// </summary>
public static class ProgressMetadata
{
    /// <summary>The most top-level properties: 16.</summary>
    public const int MaxKeys = 16;

    /// <summary>The most bytes of UTF-8 JSON: 1,024 (1 KiB).</summary>
    public const int MaxBytes = 1024;

    /// <summary>The property of the marker that replaces metadata past the bounds.</summary>
    public const string DroppedProperty = "metadataDropped";

    /// <summary><paramref name="metadata"/> when it is within the bounds (a copy the caller cannot change), else the marker saying why not.</summary>
    internal static JsonElement Bound(JsonElement metadata)
    {
        if (metadata.ValueKind != JsonValueKind.Object)
        {
            return Dropped($"metadata must be a JSON object, not {metadata.ValueKind.ToString().ToLowerInvariant()}");
        }

        int keys = 0;
        foreach (JsonProperty _ in metadata.EnumerateObject())
        {
            keys++;
        }

        if (keys > MaxKeys)
        {
            return Dropped(string.Create(CultureInfo.InvariantCulture, $"{keys} keys > {MaxKeys}"));
        }

        byte[] json = JsonSerializer.SerializeToUtf8Bytes(metadata);
        if (json.Length > MaxBytes)
        {
            return Dropped(string.Create(CultureInfo.InvariantCulture, $"{json.Length} bytes > {MaxBytes}"));
        }

        using JsonDocument copy = JsonDocument.Parse(json);
        return copy.RootElement.Clone();
    }

    private static JsonElement Dropped(string reason) => MetadataJson.Of((DroppedProperty, reason));
}
