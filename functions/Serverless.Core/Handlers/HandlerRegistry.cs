using Serverless.Protocol;

namespace Serverless.Core.Handlers;

/// <summary>Finds the handler for an action; two handlers may not share an action name.</summary>
internal sealed class HandlerRegistry
{
    private readonly Dictionary<string, IJobHandler> _handlers;

    public HandlerRegistry(IEnumerable<IJobHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        _handlers = new Dictionary<string, IJobHandler>(StringComparer.Ordinal);
        foreach (IJobHandler handler in handlers)
        {
            if (!_handlers.TryAdd(handler.Action, handler))
            {
                throw new InvalidOperationException($"Two handlers are registered for the action '{handler.Action}'.");
            }
        }
    }

    /// <summary>The registered action names, sorted.</summary>
    public IReadOnlyList<string> Actions => [.. _handlers.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The handler for <paramref name="action"/>, or UNKNOWN_ACTION.</summary>
    public IJobHandler Get(string action) =>
        _handlers.TryGetValue(action, out IJobHandler? handler)
            ? handler
            : throw new JobException(new JobError(
                ErrorCodes.UnknownAction,
                $"Unknown action '{action}'. Known actions: {string.Join(", ", Actions)}."));
}
