using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Serverless.Core.Diagnostics;
using Serverless.Functions;

FunctionsApplicationBuilder builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddServerlessFunctions();
builder.Services.AddServerlessTelemetry(builder.Configuration, "serverless-functions");
await builder.Build().RunAsync();
