using System.Globalization;

namespace Serverless.Core.Endpoints.Http;

/// <summary>An HTTP answer in host-neutral form: status, body and its media type, and the optional Location / Retry-After.</summary>
internal sealed record ApiResponse(int StatusCode, string Body, string? Location = null, TimeSpan? RetryAfter = null, string ContentType = ApiResponse.JsonContentType)
{
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>A binary body (e.g. a MessagePack completion), written instead of <see cref="Body"/> when set.</summary>
    public ReadOnlyMemory<byte>? BinaryBody { get; init; }

    /// <summary>Whether there is a body to write; an empty answer has neither body nor media type.</summary>
    public bool HasBody => Body.Length > 0 || BinaryBody is not null;

    /// <summary>Every header this answer carries: the API's <see cref="SecurityHeaders"/>, then Location and Retry-After when set.</summary>
    public IEnumerable<KeyValuePair<string, string>> Headers
    {
        get
        {
            foreach (KeyValuePair<string, string> header in SecurityHeaders.ForApi(ContentType))
            {
                yield return header;
            }

            if (Location is { } location)
            {
                yield return new("Location", location);
            }

            if (RetryAfter is { } retryAfter)
            {
                yield return new("Retry-After", Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture));
            }
        }
    }
}
