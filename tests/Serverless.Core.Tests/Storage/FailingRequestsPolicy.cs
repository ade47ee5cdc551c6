using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Serverless.Core.Tests.Storage;

/// <summary>
/// Sits in a real storage client's pipeline and, while armed, fails the requests it matches before they leave
/// the process, as a network fault would; every other request reaches Azurite untouched.
/// </summary>
internal sealed class FailingRequestsPolicy(Func<HttpMessage, bool> matches) : HttpPipelinePolicy
{
    private int _failed;

    public bool Armed { get; set; }

    public int Failed => Volatile.Read(ref _failed);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ThrowIfFailing(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ThrowIfFailing(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void ThrowIfFailing(HttpMessage message)
    {
        if (Armed && matches(message))
        {
            Interlocked.Increment(ref _failed);
            throw new RequestFailedException(503, $"Injected failure of {message.Request.Method} {message.Request.Uri}");
        }
    }
}
