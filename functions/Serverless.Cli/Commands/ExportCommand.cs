using System.CommandLine;
using System.Text.Json;
using Serverless.Client;
using Serverless.Protocol;

namespace Serverless.Cli.Commands;

/// <summary>
/// <c>export &lt;jobId&gt; --format json|csv|html [--out file]</c>: a completed job's rendered output. Report results
/// carry <c>csv</c> and <c>html</c> strings; <c>json</c> is the rest of the result (the summary).
/// </summary>
internal static class ExportCommand
{
    private static readonly string[] Renderings = ["csv", "html"];

    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var jobId = new Argument<string>("jobId") { Description = "A completed job, e.g. of generate_report." };
        var format = new Option<string>("--format") { Description = "json (the summary), csv or html.", Required = true };
        format.AcceptOnlyFromAmong(["json", .. Renderings]);
        var output = new Option<FileInfo?>("--out") { Description = "Write to this file instead of standard output." };
        var command = new Command("export", "Export a completed job's result as JSON, CSV or HTML.") { jobId, format, output };
        command.SetCliAction(globals, console, async (context, parse, cancellationToken) =>
        {
            await using JobClient client = context.CreateClient();
            JobView job = await client.GetStatusAsync(parse.GetValue(jobId)!, cancellationToken).ConfigureAwait(false);
            if (job.Status != JobStatus.Completed || job.Result is not { } result)
            {
                context.WriteError(new JobError(ErrorCodes.ValidationError, $"Job {job.JobId} is {job.Status}; only a completed job can be exported."));
                return ExitCodes.Failed;
            }

            string chosen = parse.GetValue(format)!;
            string? text = chosen == "json"
                ? JsonText.Indent(result.ValueKind == JsonValueKind.Object ? ResultText.WithoutRenderings(result, Renderings) : result)
                : result.ValueKind == JsonValueKind.Object && result.TryGetProperty(chosen, out JsonElement rendering) && rendering.ValueKind == JsonValueKind.String
                    ? rendering.GetString()
                    : null;
            if (text is null)
            {
                context.WriteError(JobError.Validation($"The result of this {job.Action} job has no {chosen} rendering."));
                return ExitCodes.Failed;
            }

            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, text, cancellationToken).ConfigureAwait(false);
                await context.Console.Error.WriteLineAsync($"Wrote {text.Length} characters to {file.FullName}.").ConfigureAwait(false);
            }
            else
            {
                await context.Console.Out.WriteAsync(text.EndsWith('\n') ? text : text + "\n").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
