using System.Globalization;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Serverless.Testing;

/// <summary>docs/schemas, the one definition of the protocol's messages, for checking what either encoding carries.</summary>
public static class ProtocolSchemas
{
    /// <summary>The docs folder the schemas and PROTOCOL.md live in.</summary>
    public static string Docs { get; } = Path.Combine(RepositoryLayout.Root, "docs");

    public static JsonSchema Request { get; } = Load("job-request.schema.json");

    public static JsonSchema Message { get; } = Load("job-message.schema.json");

    public static EvaluationResults Evaluate(JsonSchema schema, string json) => Evaluate(schema, JsonNode.Parse(json));

    public static EvaluationResults Evaluate(JsonSchema schema, JsonNode? json)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return schema.Evaluate(json, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
    }

    /// <summary>Fails with every schema error listed when <paramref name="json"/> does not match <paramref name="schema"/>.</summary>
    public static void AssertValid(JsonSchema schema, string json) => AssertValid(schema, JsonNode.Parse(json));

    public static void AssertValid(JsonSchema schema, JsonNode? json)
    {
        EvaluationResults results = Evaluate(schema, json);
        Assert.True(results.IsValid, json?.ToJsonString() + "\n" + string.Join("\n", results.Details.Where(d => d.HasErrors)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    /// <summary>
    /// A value as a MessagePack client with the package's default options reads it (maps, arrays, primitives,
    /// timestamps as <see cref="DateTime"/>), as JSON: the form the schemas define.
    /// </summary>
    public static JsonNode? FromMessagePack(object? value) => value switch
    {
        null => null,
        IDictionary<object, object> map => new JsonObject(map.Select(entry =>
            KeyValuePair.Create(Assert.IsType<string>(entry.Key), FromMessagePack(entry.Value)))),
        object[] items => new JsonArray([.. items.Select(FromMessagePack)]),
        DateTime timestamp => JsonValue.Create(timestamp.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)),
        byte[] bytes => JsonValue.Create(Convert.ToBase64String(bytes)),
        string or bool => JsonValue.Create(value),
        float or double => JsonValue.Create(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        ulong large => JsonValue.Create(large),
        _ => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
    };

    private static JsonSchema Load(string file) => JsonSchema.FromFile(Path.Combine(Docs, "schemas", file));
}
