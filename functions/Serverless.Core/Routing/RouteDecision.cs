namespace Serverless.Core.Routing;

/// <summary>Where a request runs and why; the reason is sent to the client in <c>accepted</c> / <c>result</c>.</summary>
internal sealed record RouteDecision(string Mode, string Basis, string Reason)
{
    /// <summary>The handler's declared estimate decided.</summary>
    public const string Declared = "declared";

    /// <summary>The action's observed p95 duration decided.</summary>
    public const string Observed = "observed";
}
