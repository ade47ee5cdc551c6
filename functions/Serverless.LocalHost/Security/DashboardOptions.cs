using System.ComponentModel.DataAnnotations;

namespace Serverless.LocalHost.Security;

/// <summary>The dashboard pages this host serves. Section <c>Dashboard</c>.</summary>
internal sealed class DashboardOptions : IValidatableObject
{
    public const string Section = "Dashboard";

    /// <summary>
    /// Other origins the dashboard may call (its <c>connect-src</c>), e.g. a Functions app given as <c>?api=</c> and its
    /// Azure SignalR Service endpoint; absolute http(s) URLs, reduced to their origin. Default none: this host only.
    /// </summary>
    public IList<Uri> ConnectOrigins { get; } = [];

    /// <summary>The origins as CSP sources.</summary>
    public IEnumerable<string> ConnectSources() => ConnectOrigins.Select(origin => origin.GetLeftPart(UriPartial.Authority));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (Uri origin in ConnectOrigins)
        {
            if (!origin.IsAbsoluteUri || (origin.Scheme != Uri.UriSchemeHttp && origin.Scheme != Uri.UriSchemeHttps))
            {
                yield return new ValidationResult($"Dashboard:ConnectOrigins: '{origin}' is not an absolute http(s) URL.", [nameof(ConnectOrigins)]);
            }
        }
    }
}
