namespace Serverless.LocalHost;
internal static class Program { private static void Main() { } }
