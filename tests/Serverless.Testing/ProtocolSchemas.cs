using System.Text.Json.Nodes;
using Json.Schema;

namespace Serverless.Testing;

/// <summary>The JSON Schemas of docs/schemas that requests and messages are checked against.</summary>
public static class ProtocolSchemas
{
    /// <summary>The docs folder the schemas and PROTOCOL.md live in.</summary>
    public static string Docs { get; } = Path.Combine(RepositoryLayout.Root, "docs");

    public static JsonSchema Request { get; } = JsonSchema.FromFile(Path.Combine(Docs, "schemas", "job-request.schema.json"));

    public static JsonSchema Message { get; } = JsonSchema.FromFile(Path.Combine(Docs, "schemas", "job-message.schema.json"));

    /// <summary>Fails with every schema error listed when <paramref name="json"/> does not match <paramref name="schema"/>.</summary>
    public static void AssertValid(JsonSchema schema, string json)
    {
        EvaluationResults results = Evaluate(schema, json);
        Assert.True(results.IsValid, json + "\n" + string.Join("\n", results.Details.Where(d => d.HasErrors)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    public static EvaluationResults Evaluate(JsonSchema schema, string json)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return schema.Evaluate(JsonNode.Parse(json), new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
    }
}
