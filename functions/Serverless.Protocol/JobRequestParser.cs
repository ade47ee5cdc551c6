using System.Text.Json;

namespace Serverless.Protocol;

/// <summary>Turns raw JSON from any transport into a <see cref="JobRequest"/>; malformed input is a VALIDATION_ERROR.</summary>
internal static class JobRequestParser
{
    public static JobRequest Parse(JsonElement raw)
    {
        if (raw.ValueKind != JsonValueKind.Object)
        {
            throw new JobException(JobError.Validation("The request must be a JSON object."));
        }

        if (!JsonText.IsWellFormed(raw))
        {
            throw new JobException(JsonText.InvalidTextError("The request"));
        }

        try
        {
            return raw.Deserialize(ProtocolJson.Default.JobRequest)
                ?? throw new JobException(JobError.Validation("The request must be a JSON object."));
        }
        catch (JsonException ex)
        {
            throw new JobException(JobError.Validation($"The request is not a valid job request: {Describe(ex)}"));
        }
        catch (InvalidOperationException)
        {
            throw new JobException(JsonText.InvalidTextError("The request"));
        }
    }

    public static JobRequest Parse(ReadOnlySpan<byte> utf8Json)
    {
        JsonElement raw;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = ProtocolLimits.MaxJsonDepth });
            raw = JsonElement.ParseValue(ref reader);

            // One request per body: anything but white space after it is refused, not ignored.
            if (reader.Read())
            {
                throw new JobException(JobError.Validation($"The body holds data after the request object (at byte {reader.TokenStartIndex})."));
            }
        }
        catch (JsonException ex)
        {
            throw new JobException(JobError.Validation($"The body is not valid JSON: {Describe(ex)}"));
        }

        return Parse(raw);
    }

    // The exception text can echo arbitrary input; the path and position are enough to fix a request.
    private static string Describe(JsonException ex) =>
        ex.Path is { Length: > 0 } path ? $"invalid value at {path}." : $"invalid JSON at byte {ex.BytePositionInLine ?? 0} of line {ex.LineNumber ?? 0}.";
}
