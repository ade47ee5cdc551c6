using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace Serverless.Protocol;

/// <summary>
/// Checks that JSON text can become .NET strings: no invalid UTF-8 and no escaped unpaired surrogate
/// (<c>"\ud800"</c>). <see cref="JsonElement.GetString"/> throws on those, so they are refused at the edge.
/// </summary>
internal static class JsonText
{
    /// <summary>Whether every property name and string in <paramref name="element"/> is well-formed Unicode.</summary>
    public static bool IsWellFormed(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Undefined)
        {
            return true;
        }

        var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(element), new JsonReaderOptions { MaxDepth = 1024 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
                {
                    continue;
                }

                if (reader.ValueIsEscaped)
                {
                    // Unescaping validates the escapes, surrogate pairs included.
                    _ = reader.GetString();
                }
                else if (!Utf8.IsValid(reader.ValueSpan))
                {
                    return false;
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or JsonException)
        {
            return false;
        }
    }

    /// <summary>The string value, or null when it is not a string or not well-formed Unicode.</summary>
    public static string? TryGetString(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The VALIDATION_ERROR for text that is not well-formed Unicode.</summary>
    public static JobError InvalidTextError(string where) =>
        JobError.Validation($"{where} holds text that is not valid Unicode (invalid UTF-8, or an unpaired surrogate escape such as \\ud800).");
}
