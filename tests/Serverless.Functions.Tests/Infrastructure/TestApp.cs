using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Serverless.Core.Endpoints.Http;
using Serverless.Core.Notifications;
using Serverless.Core.Security;
using Serverless.Core.SignalRService;
using Serverless.Core.Storage;
using Serverless.Functions.Http;
using Serverless.Testing;

namespace Serverless.Functions.Tests.Infrastructure;

/// <summary>The function app's composition with an in-memory store, a fake clock and (by default) a recording notifier.</summary>
internal sealed class TestApp : IDisposable
{
    public const string SigningKey = "functions-tests-signing-key-0123456789";
    public const string AccessKey = "functions-tests-primary-access-key-0123456789";
    public const string SecondaryAccessKey = "functions-tests-secondary-access-key-012345";
    public const string SignalREndpoint = "http://localhost:8888";

    public TestApp(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = SigningKey,
            ["SignalR:ConnectionString"] = $"Endpoint=http://localhost;Port=8888;AccessKey={AccessKey};Version=1.0;",
            ["SignalR:SecondaryAccessKey"] = SecondaryAccessKey,
        };
        foreach ((string key, string? value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var collection = new ServiceCollection();
        services?.Invoke(collection);
        collection.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        collection.AddLogging();
        collection.AddServerlessFunctions();
        collection.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));
        collection.Replace(ServiceDescriptor.Singleton<IJobStore>(Store));
        collection.Replace(ServiceDescriptor.Singleton<IClientNotifier>(Notifier));
        collection.Replace(ServiceDescriptor.Singleton<IConnectionOwners>(Connections));
        Services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public InMemoryJobStore Store { get; } = new();

    public RecordingNotifier Notifier { get; } = new();

    public InMemoryConnectionOwners Connections { get; } = new();

    public FakeDurableTaskClient Durable { get; } = new();

    public ServiceProvider Services { get; }

    public string TokenFor(string user, string? tenant = null) => Services.GetRequiredService<TokenService>().Issue(user, tenant);

    /// <summary>A function class as the worker makes it: from one invocation's scope.</summary>
    public T Function<T>(out IServiceScope scope)
        where T : class
    {
        scope = Services.CreateScope();
        return ActivatorUtilities.CreateInstance<T>(scope.ServiceProvider);
    }

    public static HttpRequest Request(string method, string? bearer = null, string? body = null, string? query = null, IDictionary<string, string>? headers = null)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = method;
        http.Response.Body = new MemoryStream();
        if (bearer is not null)
        {
            http.Request.Headers.Authorization = "Bearer " + bearer;
        }

        if (body is not null)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            http.Request.Body = new MemoryStream(bytes);
            http.Request.ContentLength = bytes.Length;
        }

        if (query is not null)
        {
            http.Request.QueryString = new QueryString(query);
        }

        foreach ((string name, string value) in headers ?? new Dictionary<string, string>())
        {
            http.Request.Headers[name] = value;
        }

        return http.Request;
    }

    public static ApiResponse Answer(IActionResult result) => Assert.IsType<ApiResponseResult>(result).Response;

    public void Dispose() => Services.Dispose();
}
