// Submits a job and prints its progress until it ends. With the local host running:
//   npx tsc -p clients/typescript && node clients/typescript/dist/examples/watch.js [baseUrl] [action] [payloadJson]
import { JobClient, JobClientError, requestDevelopmentToken } from "../src/index.js";

const [baseUrl = "http://127.0.0.1:5080", action = "simulate", payload = '{"durationMs":3000,"stages":2}'] = process.argv.slice(2);

const client = await JobClient.connect({
  baseUrl,
  token: () => requestDevelopmentToken(baseUrl, "example-user"),
});
try {
  const reply = await client.submit({ action, payload: JSON.parse(payload) });
  if (reply.type === "result") {
    console.log("sync result:", JSON.stringify(reply.data));
  } else {
    console.log(`job ${reply.jobId} accepted (${reply.route ?? "async"})`);
    for await (const message of client.watch(reply.jobId)) {
      const percent = "percent" in message && message.percent !== undefined ? `${message.percent.toFixed(1)} %` : "";
      console.log(`#${message.seq} ${message.type} ${"stage" in message ? message.stage : ""} ${percent}`);
      if (message.type === "completed") console.log("result:", JSON.stringify(message.result));
      if (message.type === "failed") console.log("error:", message.error.code, message.error.message);
    }
  }
} catch (error) {
  if (error instanceof JobClientError) console.error(error.code ?? "CONNECTION", error.message);
  process.exitCode = 1;
} finally {
  await client.close();
}
