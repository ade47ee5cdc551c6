using Serverless.Cli;

return await CliApplication.RunAsync(args, CliConsole.FromSystemConsole(), CancellationToken.None).ConfigureAwait(false);
