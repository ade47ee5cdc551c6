using System.Text.Json;
using Serverless.Core.Progress;

namespace Serverless.Core.Tests.Progress;

/// <summary>The bounds of a handler's progress metadata: within them it is kept as given, past them it is replaced by a marker.</summary>
public sealed class ProgressMetadataTests
{
    [Fact]
    public void Bound_SmallObject_IsKeptAsGiven()
    {
        JsonElement bounded = ProgressMetadata.Bound(Json("""{"rowsProcessed":1200,"file":"a.csv","nested":{"ok":true}}"""));

        Assert.Equal(1200, bounded.GetProperty("rowsProcessed").GetInt32());
        Assert.True(bounded.GetProperty("nested").GetProperty("ok").GetBoolean());
    }

    [Fact]
    public void Bound_ExactlyAtBothLimits_IsKept()
    {
        var properties = Enumerable.Range(0, ProgressMetadata.MaxKeys).Select(i => $"\"k{i:D2}\":\"\"").ToList();
        string json = "{" + string.Join(',', properties) + "}";
        int room = ProgressMetadata.MaxBytes - System.Text.Encoding.UTF8.GetByteCount(json);
        json = json.Replace("\"k00\":\"\"", $"\"k00\":\"{new string('x', room)}\"", StringComparison.Ordinal);

        JsonElement bounded = ProgressMetadata.Bound(Json(json));

        Assert.Equal(ProgressMetadata.MaxBytes, JsonSerializer.SerializeToUtf8Bytes(bounded).Length);
        Assert.False(bounded.TryGetProperty(ProgressMetadata.DroppedProperty, out _));
    }

    [Fact]
    public void Bound_TooManyKeys_IsReplacedByTheMarker()
    {
        string json = "{" + string.Join(',', Enumerable.Range(0, ProgressMetadata.MaxKeys + 1).Select(i => $"\"k{i}\":{i}")) + "}";

        JsonElement bounded = ProgressMetadata.Bound(Json(json));

        Assert.Equal("17 keys > 16", bounded.GetProperty(ProgressMetadata.DroppedProperty).GetString());
        Assert.False(bounded.TryGetProperty("k0", out _));
    }

    [Fact]
    public void Bound_TooLarge_IsReplacedByTheMarker()
    {
        JsonElement bounded = ProgressMetadata.Bound(Json($$"""{"text":"{{new string('x', ProgressMetadata.MaxBytes)}}"}"""));

        Assert.Equal("1035 bytes > 1024", bounded.GetProperty(ProgressMetadata.DroppedProperty).GetString());
    }

    [Theory]
    [InlineData("[1,2]", "array")]
    [InlineData("\"text\"", "string")]
    [InlineData("42", "number")]
    public void Bound_NotAnObject_IsReplacedByTheMarker(string json, string kind)
    {
        JsonElement bounded = ProgressMetadata.Bound(Json(json));

        Assert.Equal($"metadata must be a JSON object, not {kind}", bounded.GetProperty(ProgressMetadata.DroppedProperty).GetString());
    }

    private static JsonElement Json(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
