using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Polly.CircuitBreaker;
using Serverless.Core.Api;
using Serverless.Core.Notifications;
using Serverless.Core.SignalRService;

namespace Serverless.Functions.Http;

/// <summary><c>GET /api/health</c>: the app answers, and the Azure SignalR Service push path's breaker state.</summary>
public sealed class HealthFunction(IClientNotifier notifier)
{
    [Function(nameof(Health))]
    public IActionResult Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
    {
        CircuitState breaker = notifier is SignalRClientNotifier signalR ? signalR.BreakerState : CircuitState.Closed;
        string signalRHealth = breaker switch
        {
            CircuitState.Closed => "green",
            CircuitState.HalfOpen => "yellow",
            _ => "red",
        };

        // A dead push path degrades the app (clients resume instead) but does not make it unhealthy.
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("status", signalRHealth == "green" ? "healthy" : "degraded");
            writer.WriteStartObject("checks");
            writer.WriteString("signalR", signalRHealth);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return new ApiResponseResult(new ApiResponse(200, System.Text.Encoding.UTF8.GetString(buffer.ToArray())));
    }
}
