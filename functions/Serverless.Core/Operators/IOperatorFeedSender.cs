using Serverless.Protocol;

namespace Serverless.Core.Operators;

/// <summary>Delivers one message of the operators' feed to every operator connection (a hub locally, a service group in Azure).</summary>
internal interface IOperatorFeedSender
{
    /// <summary>Sends <paramref name="message"/> on <see cref="OperatorFeed.Target"/> to every feed connection.</summary>
    Task SendAsync(OperatorJobMessage message, CancellationToken cancellationToken);
}
