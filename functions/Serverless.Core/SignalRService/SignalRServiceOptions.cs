using System.ComponentModel.DataAnnotations;

namespace Serverless.Core.SignalRService;

/// <summary>How the app talks to Azure SignalR Service in serverless mode. Section <c>SignalR</c>.</summary>
public sealed class SignalRServiceOptions : IValidatableObject
{
    /// <summary>The configuration section these options bind from: <c>SignalR</c>.</summary>
    public const string Section = "SignalR";

    /// <summary>
    /// The instance's connection string: <c>Endpoint=https://NAME.service.signalr.net;AccessKey=KEY;Version=1.0;</c>
    /// (optionally <c>Port=</c>, <c>ClientEndpoint=</c>, <c>ServerEndpoint=</c>). Required.
    /// </summary>
    [Required]
    public string? ConnectionString { get; set; }

    /// <summary>The instance's other access key, also accepted on upstream signatures so a key rotation never rejects valid calls; default none.</summary>
    public string? SecondaryAccessKey { get; set; }

    /// <summary>The hub clients connect to; default <c>jobs</c>.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9_]{0,127}$")]
    public string HubName { get; set; } = "jobs";

    /// <summary>Lifetime of the client access tokens negotiate returns; default 1 h.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan ClientTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Time allowed for one REST call attempt; default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after a transient failure (429, 408, 5xx, network, timeout); default 3.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay, doubled each retry with jitter; default 200 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:30")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between retries, a 429 Retry-After included; default 2 s, so a push never holds a job for long.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Calls seen in the 30 s sampling window before the breaker may open (at 50 % failures); default 10.</summary>
    [Range(2, 10_000)]
    public int BreakerMinimumThroughput { get; set; } = 10;

    /// <summary>How long an open breaker refuses calls before it tries again; default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:30:00")]
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks that <see cref="ConnectionString"/> parses; options validation calls it at start.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ConnectionString is not null && !SignalRConnectionString.TryParse(ConnectionString, out _, out string? error))
        {
            yield return new ValidationResult($"SignalR:ConnectionString is invalid: {error}", [nameof(ConnectionString)]);
        }
    }
}
