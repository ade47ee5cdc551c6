using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serverless.Cli.Commands;

/// <summary>A job result for the terminal: long strings (rendered CSV, HTML) are shortened, 'export' gives them whole.</summary>
internal static class ResultText
{
    private const int LongString = 160;

    public static string Summarize(JsonElement result)
    {
        if (result.ValueKind != JsonValueKind.Object)
        {
            return JsonText.Indent(result);
        }

        var summary = new JsonObject();
        foreach (JsonProperty property in result.EnumerateObject())
        {
            summary[property.Name] = property.Value is { ValueKind: JsonValueKind.String } text && text.GetString()!.Length > LongString
                ? $"({text.GetString()!.Length} characters; see 'serverless export')"
                : JsonNode.Parse(property.Value.GetRawText());
        }

        return JsonText.Indent(JsonSerializer.SerializeToElement(summary, CliJson.Default.JsonNode));
    }

    /// <summary>The result without its long rendered strings: the JSON summary of a report.</summary>
    public static JsonElement WithoutRenderings(JsonElement result, params string[] names)
    {
        var copy = JsonNode.Parse(result.GetRawText())!.AsObject();
        foreach (string name in names)
        {
            copy.Remove(name);
        }

        return JsonSerializer.SerializeToElement(copy, CliJson.Default.JsonNode);
    }
}
