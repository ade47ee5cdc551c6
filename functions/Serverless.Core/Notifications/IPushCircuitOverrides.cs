namespace Serverless.Core.Notifications;

/// <summary>Where the push path learns whether an operator holds its circuit open or closed.</summary>
internal interface IPushCircuitOverrides
{
    /// <summary>The latest override an operator set (it may have expired already), or null; cheap enough for every push.</summary>
    ValueTask<PushCircuitOverride?> CurrentAsync(CancellationToken cancellationToken);
}
