using System.Text;
using System.Text.Json;
using Serverless.Protocol;

namespace Serverless.Testing;

/// <summary>
/// Generated malformed or hostile inputs, each with the one error code it must get: the same corpus for both hosts
/// (the local hub and HTTP API, and the Azure path through the SignalR Service upstream and the Functions app).
/// </summary>
public static class HostileCorpus
{
    /// <summary>Characters that mean something in Table keys, paths or URLs.</summary>
    public const string KeyCharacters = "/\\#?";

    /// <summary>Syntactically valid JSON that is never a runnable request, with the code it must get.</summary>
    public static IEnumerable<(string Request, string Code)> Requests(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        string[] shapes = ["1", "\"submit\"", "[]", "null", "true", "[{\"requestId\":\"a\"}]"];
        foreach (string shape in shapes)
        {
            yield return (shape, ErrorCodes.ValidationError);
        }

        for (int i = 0; i < 400; i++)
        {
            string requestId = JsonSerializer.Serialize($"r{i}");
            string action = "\"echo\"";
            string payload = "{}";
            switch (i % 16)
            {
                case 0: requestId = JsonSerializer.Serialize(RandomText(random, 1, 20) + KeyCharacters[random.Next(4)]); break;
                case 1: requestId = JsonSerializer.Serialize(new string('x', 129 + random.Next(1000))); break;
                case 2: requestId = JsonSerializer.Serialize("id\u0000\u0007" + (char)random.Next(1, 31)); break;
                case 3: requestId = random.Next(2) == 0 ? "12345" : "{\"nested\":true}"; break;
                case 4: requestId = "\"\""; break;
                case 5: action = JsonSerializer.Serialize("no_such_" + RandomText(random, 1, 10)); break;
                case 6: action = JsonSerializer.Serialize("echo" + KeyCharacters[random.Next(4)]); break;
                case 7: action = random.Next(2) == 0 ? "42" : "[\"echo\"]"; break;
                case 8: action = JsonSerializer.Serialize(new string('a', 10_000)); break;
                case 9: action = "\"generate_report\""; payload = $"{{\"months\": {random.Next(37, 100_000)}}}"; break;
                case 10: action = "\"generate_report\""; payload = $"{{\"title\": {JsonSerializer.Serialize("t\u0001" + RandomText(random, 1, 50))}}}"; break;
                case 11: action = "\"simulate\""; payload = random.Next(2) == 0 ? "[1,2,3]" : "{\"durationMs\": \"soon\"}"; break;
                case 12: action = "\"simulate\""; payload = $"{{\"updates\": -{random.Next(1, 1000)}, \"stages\": 0}}"; break;
                case 13:
                    // Deeper than the protocol's 32 levels but within what the SignalR transport parses (64).
                    int depth = 33 + random.Next(25);
                    payload = new string('[', depth) + new string(']', depth);
                    break;
                case 14: payload = JsonSerializer.Serialize(new string('z', 70_000 + random.Next(100_000))); break;
                default:
                    yield return ($"{{\"requestId\":{requestId},\"action\":{action},\"priority\":\"urgent-{i}\"}}", ErrorCodes.ValidationError);
                    continue;
            }

            string code = (i % 16) switch { 5 => ErrorCodes.UnknownAction, 14 => ErrorCodes.PayloadTooLarge, _ => ErrorCodes.ValidationError };
            yield return ($"{{\"requestId\":{requestId},\"action\":{action},\"payload\":{payload}}}", code);
        }
    }

    /// <summary>Request bodies that are not one valid JSON request (broken JSON, invalid Unicode, trailing data, noise): VALIDATION_ERROR.</summary>
    public static IEnumerable<byte[]> BrokenJsonBodies(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        yield return [];
        yield return Encoding.UTF8.GetBytes("{\"requestId\": ");
        yield return Encoding.UTF8.GetBytes("{'requestId': 'single-quotes'}");
        yield return Encoding.UTF8.GetBytes("{\"requestId\":\"a\",}");
        yield return Encoding.UTF8.GetBytes(new string('{', 5000));

        // Unpaired surrogate escapes, invalid UTF-8 and data after the request object.
        string[] surrogates = ["\\ud800", "\\udc00", "a\\udfff\\ud800b", "\\ud83d"];
        for (int i = 0; i < 40; i++)
        {
            string bad = surrogates[i % surrogates.Length];
            yield return Encoding.UTF8.GetBytes((i % 4) switch
            {
                0 => $"{{\"requestId\":\"s{i}\",\"action\":\"generate_report\",\"payload\":{{\"title\":\"{bad}\"}}}}",
                1 => $"{{\"requestId\":\"{bad}\",\"action\":\"echo\"}}",
                2 => $"{{\"requestId\":\"s{i}\",\"action\":\"echo\",\"payload\":{{\"{bad}\":[1]}}}}",
                _ => $"{{\"requestId\":\"s{i}\",\"action\":\"process_data\",\"payload\":{{\"x\":[\"{bad}\"]}}}}",
            });
            yield return [.. Encoding.UTF8.GetBytes($"{{\"requestId\":\"b{i}\",\"action\":\"echo\",\"payload\":\""), 0xED, 0xA0, (byte)(0x80 + (i % 64)), .. "\"}"u8];
            yield return Encoding.UTF8.GetBytes($"{{\"requestId\":\"x{i}\",\"action\":\"echo\",\"payload\":{{}}}}" + (i % 2 == 0 ? " {}" : "trailing"));
        }

        for (int i = 0; i < 60; i++)
        {
            byte[] noise = new byte[random.Next(1, 300)];
            random.NextBytes(noise);
            noise[0] = (byte)'{';
            yield return noise;
        }
    }

    /// <summary>
    /// Job ids for cancel, resume and GET: malformed ones (VALIDATION_ERROR: empty, path-like, numbers, too long, key
    /// characters) and <see cref="UnknownJobId"/>s, well-formed but no job's (NOT_FOUND).
    /// </summary>
    public static IEnumerable<object> JobIds(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        yield return "";
        yield return "../../etc/passwd";
        yield return new UnknownJobId("j0000000000000000000000000000000");
        yield return 12345;
        yield return new string('j', 500);
        for (int i = 0; i < 60; i++)
        {
            yield return "j" + RandomText(random, 5, 30) + KeyCharacters[i % 4] + RandomText(random, 0, 5);
        }
    }

    /// <summary>The code a job id from <see cref="JobIds"/> must get, and the value to send.</summary>
    public static (object Value, string Code) Expectation(object candidate) =>
        candidate is UnknownJobId unknown ? (unknown.Value, ErrorCodes.NotFound) : (candidate, ErrorCodes.ValidationError);

    public static string Shorten(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= 80 ? text : text[..80] + "…";
    }

    private static string RandomText(Random random, int min, int max)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return new string([.. Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
    }
}
