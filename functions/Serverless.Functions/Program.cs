using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Serverless.Core;
using Serverless.Core.Retention;
using Serverless.Core.SignalRService;
using Serverless.Functions.Durable;

FunctionsApplicationBuilder builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services
    .AddJobRouter()
    .AddAzureSignalRService()
    .AddJobRetention()
    .AddFunctionsJobScheduler();

await builder.Build().RunAsync();
