using Serverless.LocalHost;

WebApplication app = LocalHostApp.Build(args);
await app.RunAsync();
