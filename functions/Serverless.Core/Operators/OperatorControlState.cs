using Serverless.Core.Notifications;

namespace Serverless.Core.Operators;

/// <summary>The operator controls in force: the actions whose intake is paused, and the push circuit override, if any.</summary>
internal sealed record OperatorControlState(IReadOnlySet<string> PausedActions, PushCircuitOverride? PushCircuit)
{
    /// <summary>No control in force.</summary>
    public static OperatorControlState None { get; } = new(new HashSet<string>(StringComparer.Ordinal), null);
}
