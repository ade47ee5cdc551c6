using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;
using static Serverless.Testing.ProtocolSchemas;

namespace Serverless.Protocol.Tests;

/// <summary>docs/PROTOCOL.md's examples and the serializer's messages match docs/schemas.</summary>
public sealed partial class ProtocolSchemaTests
{
    [Fact]
    public void ProtocolDoc_EveryExample_MatchesItsSchema()
    {
        string doc = File.ReadAllText(Path.Combine(Docs, "PROTOCOL.md"));
        MatchCollection blocks = ExampleBlock().Matches(doc);

        Assert.True(blocks.Count >= 10, $"only {blocks.Count} examples found");
        foreach (Match block in blocks)
        {
            JsonSchema schema = block.Groups["kind"].Value == "request" ? Request : Message;
            AssertValid(schema, block.Groups["json"].Value);
        }
    }

    [Fact]
    public void Serializer_EveryMessageShape_MatchesTheSchema_AndBrokenOnesDoNot()
    {
        var error = new JobError(ErrorCodes.RateLimited, "slow down", Retryable: true) { RetryAfterMs = 10 };
        JobMessage[] shapes =
        [
            JobMessage.Accepted("j0123456789abcdef0123456789abcde", "r1", duplicate: true),
            JobMessage.SyncResult("r1", JsonDocument.Parse("{\"a\":1}").RootElement),
            JobMessage.SyncFailure("r1", error),
            JobMessage.ErrorReply(null, error),
        ];
        foreach (JobMessage shape in shapes)
        {
            AssertValid(Message, JsonSerializer.Serialize(shape, ProtocolJson.Default.JobMessage));
        }

        Assert.False(Evaluate(Message, "{\"type\":\"accepted\",\"requestId\":\"r\"}").IsValid);
        Assert.False(Evaluate(Message, "{\"type\":\"error\",\"error\":{\"code\":\"NOPE\",\"message\":\"x\",\"retryable\":false}}").IsValid);
        Assert.False(Evaluate(Request, "{\"requestId\":\"a/b\",\"action\":\"echo\"}").IsValid);
    }

    [GeneratedRegex("```json (?<kind>request|message)\\n(?<json>.*?)\\n```", RegexOptions.Singleline)]
    private static partial Regex ExampleBlock();
}
