namespace Serverless.Client;

/// <summary>The hub's client-to-server method names (protocol v1).</summary>
internal static class HubMethods
{
    public const string Submit = "Submit";
    public const string Cancel = "Cancel";
    public const string Resume = "Resume";
}
