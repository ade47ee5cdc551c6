using System.Text.Json;
using Serverless.Protocol;

namespace Serverless.Core.Handlers;

/// <summary>Reads optional, range-checked fields from a handler payload; a bad field is a VALIDATION_ERROR.</summary>
public static class PayloadReader
{
    /// <summary>Throws VALIDATION_ERROR unless <paramref name="payload"/> is a JSON object, null or absent.</summary>
    /// <exception cref="JobException">The payload is an array, string, number or boolean.</exception>
    public static void RequireObjectOrEmpty(JsonElement payload)
    {
        if (payload.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
        {
            throw new JobException(JobError.Validation("payload must be a JSON object."));
        }
    }

    /// <summary>
    /// The integer field <paramref name="name"/>, or <paramref name="defaultValue"/> when it is absent or null.
    /// </summary>
    /// <exception cref="JobException">VALIDATION_ERROR: the field is not an integer from <paramref name="min"/> to <paramref name="max"/>.</exception>
    public static int GetInt32(JsonElement payload, string name, int defaultValue, int min, int max)
    {
        if (!TryGet(payload, name, out JsonElement value))
        {
            return defaultValue;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int number) || number < min || number > max)
        {
            throw new JobException(JobError.Validation($"payload.{name} must be an integer from {min} to {max}."));
        }

        return number;
    }

    /// <summary>The boolean field <paramref name="name"/>, or <paramref name="defaultValue"/> when it is absent or null.</summary>
    /// <exception cref="JobException">VALIDATION_ERROR: the field is not <c>true</c> or <c>false</c>.</exception>
    public static bool GetBoolean(JsonElement payload, string name, bool defaultValue)
    {
        if (!TryGet(payload, name, out JsonElement value))
        {
            return defaultValue;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new JobException(JobError.Validation($"payload.{name} must be true or false.")),
        };
    }

    /// <summary>The string field <paramref name="name"/>, or <paramref name="defaultValue"/> when it is absent or null.</summary>
    /// <exception cref="JobException">
    /// VALIDATION_ERROR: the field is not a string, is longer than <paramref name="maxLength"/> characters or holds control characters.
    /// </exception>
    public static string GetString(JsonElement payload, string name, string defaultValue, int maxLength)
    {
        if (!TryGet(payload, name, out JsonElement value))
        {
            return defaultValue;
        }

        string? text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (text is null || text.Length > maxLength || text.Any(char.IsControl))
        {
            throw new JobException(JobError.Validation(
                $"payload.{name} must be a string of at most {maxLength} characters without control characters."));
        }

        return text;
    }

    private static bool TryGet(JsonElement payload, string name, out JsonElement value)
    {
        value = default;
        return payload.ValueKind == JsonValueKind.Object
            && payload.TryGetProperty(name, out value)
            && value.ValueKind != JsonValueKind.Null;
    }
}
