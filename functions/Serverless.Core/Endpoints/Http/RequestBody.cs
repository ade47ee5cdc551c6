using Serverless.Protocol;

namespace Serverless.Core.Endpoints.Http;

/// <summary>The one bounded body read of the inbound edge: at most a limit, refused with 413 beyond it without reading on.</summary>
internal static class RequestBody
{
    /// <summary>The body, or null when it is longer than <paramref name="limit"/> bytes (by its Content-Length or as read).</summary>
    public static async Task<byte[]?> ReadAsync(Stream body, long? contentLength, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (contentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The 413 PAYLOAD_TOO_LARGE answer for a body over <paramref name="limit"/> bytes.</summary>
    public static ApiResponse TooLarge(int limit) => JobApi.Error(new JobError(ErrorCodes.PayloadTooLarge, $"The request body exceeds {limit} bytes."));
}
