using System.Text.Json;
using Serverless.Protocol;

namespace Serverless.Core.Endpoints.Hub;

/// <summary>Reads <c>cancel</c> / <c>resume</c> arguments from raw JSON, so a wrong type is a typed VALIDATION_ERROR.</summary>
public static class InvocationArguments
{
    public static string JobId(JsonElement value) =>
        value.ValueKind != JsonValueKind.String ? throw new JobException(JobError.Validation("jobId must be a string."))
            : JsonText.TryGetString(value) ?? throw new JobException(JsonText.InvalidTextError("jobId"));

    public static long AfterSeq(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long seq) && seq >= 0
            ? seq
            : throw new JobException(JobError.Validation("afterSeq must be a whole number, 0 or more."));
}
