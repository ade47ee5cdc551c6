using Serverless.Protocol;

namespace Serverless.Core.Health;

/// <summary>Checks one dependency (storage, the Durable backend, the push path, ...).</summary>
internal interface IDependencyCheck
{
    string Name { get; }

    /// <summary>The dependency's state; exceptions count as red.</summary>
    Task<DependencyHealth> CheckAsync(CancellationToken cancellationToken);
}
