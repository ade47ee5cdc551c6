namespace Serverless.Functions;
internal static class Program { private static void Main() { } }
