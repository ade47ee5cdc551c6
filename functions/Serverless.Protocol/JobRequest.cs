using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.Protocol;

/// <summary>A client's request to run an action. Validated by <see cref="RequestValidator"/>.</summary>
public sealed class JobRequest
{
    /// <summary>The client's idempotency key: 1–128 of <c>[A-Za-z0-9._-]</c>.</summary>
    public string? RequestId { get; set; }

    /// <summary>The handler to run.</summary>
    public string? Action { get; set; }

    /// <summary>The handler's input; any JSON value (an object for the built-in handlers).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement Payload { get; set; }

    /// <summary><c>low</c>, <c>normal</c> (default) or <c>high</c>.</summary>
    public string? Priority { get; set; }
}
