using Serverless.LoadTest;

// `bench [--quick] [scenario...]` runs the scenarios against a local stack it starts itself and prints one
// table with each goal beside its figure. `serve-bare-hub <port>` is the baseline hub it starts as a child.
return args is ["serve-bare-hub", string port]
    ? await BareEchoHub.RunAsync(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture))
    : await BenchRunner.RunAsync(args);
