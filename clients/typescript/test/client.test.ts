// The TypeScript client against a running service (SERVERLESS_URL). scripts/suites/web.sh runs it twice: against the
// local host, and on the Azure path with SERVERLESS_NEGOTIATE=1 (negotiate on the app, then the SignalR Service).
import { test } from "node:test";
import assert from "node:assert/strict";
import { LogLevel } from "@microsoft/signalr";
import { JobClient, JobClientError, JobEvent, requestDevelopmentToken } from "../src/index.js";

const baseUrl = process.env.SERVERLESS_URL ?? "http://127.0.0.1:5080";
// The Functions app has no hub of its own: clients connect through POST /api/negotiate, as in Azure.
const throughNegotiate = process.env.SERVERLESS_NEGOTIATE === "1";
let users = 0;

async function connect(options: { user?: string; useNegotiate?: boolean; useMessagePack?: boolean } = {}): Promise<JobClient> {
  const user = options.user ?? `ts-${process.pid}-${Date.now()}-${users++}`;
  const token = await requestDevelopmentToken(baseUrl, user);
  return JobClient.connect({ baseUrl, token, useNegotiate: options.useNegotiate ?? throughNegotiate, useMessagePack: options.useMessagePack, resyncAfterMs: 2000 });
}

function assertContiguous(messages: JobEvent[], from = 1): void {
  assert.deepEqual(messages.map((m) => m.seq), messages.map((_, i) => from + i), "seqs are contiguous, without gap or duplicate");
}

async function collect(iterable: AsyncIterable<JobEvent>, until?: (m: JobEvent, count: number) => boolean | Promise<boolean>): Promise<JobEvent[]> {
  const messages: JobEvent[] = [];
  for await (const message of iterable) {
    messages.push(message);
    if (until && (await until(message, messages.length))) break;
  }
  return messages;
}

function comparable(messages: JobEvent[]) {
  return messages.map((m) => ({ seq: m.seq, type: m.type, percent: "percent" in m ? m.percent : undefined }));
}

test("a sync action answers with its result", async () => {
  const client = await connect();
  try {
    const reply = await client.submit({ requestId: "ts-echo-1", action: "echo", payload: { hello: "world" } });
    assert.equal(reply.type, "result");
    assert.equal(reply.type === "result" && reply.ok, true);
    assert.deepEqual(reply.type === "result" ? reply.data : undefined, { hello: "world" });
  } finally {
    await client.close();
  }
});

test("watch yields every message once, in order, ending with completed; it matches the HTTP events", async () => {
  const client = await connect();
  try {
    const accepted = await client.submit({ action: "simulate", payload: { durationMs: 1500, updates: 15, stages: 2 } });
    assert.equal(accepted.type, "accepted");
    const jobId = accepted.type === "accepted" ? accepted.jobId : "";
    const messages = await collect(client.watch(jobId));
    assertContiguous(messages);
    const last = messages.at(-1)!;
    assert.equal(last.type, "completed");
    assert.equal(last.type === "completed" && last.percent, 100);
    assert.deepEqual(comparable(messages), comparable(await client.events(jobId, 0)));
    const view = await client.status(jobId);
    assert.equal(view.status, "completed");
    assert.equal(view.lastSeq, last.seq);
    assert.ok((await client.list("completed", 10)).some((job) => job.jobId === jobId));
  } finally {
    await client.close();
  }
});

test("a dropped connection mid-job reconnects and the watch resumes from the last seq: no gap, no duplicate", async () => {
  const client = await connect();
  try {
    const accepted = await client.submit({ action: "simulate", payload: { durationMs: 3000, updates: 30, stages: 2 } });
    const jobId = accepted.type === "accepted" ? accepted.jobId : assert.fail("expected accepted");
    const messages: JobEvent[] = [];
    let dropped: string | undefined;
    for await (const message of client.watch(jobId)) {
      messages.push(message);
      if (messages.length === 3) {
        // Gone for a while: pushes in this time are missed by the connection, so only resume can deliver them.
        const connection = client.connection!;
        dropped = connection.connectionId ?? "";
        await connection.stop();
        await new Promise((resolve) => setTimeout(resolve, 700));
      }
    }
    assert.ok(dropped !== undefined, "the connection was dropped mid-job");
    assert.notEqual(client.connection?.connectionId, dropped, "a new connection was opened");
    assertContiguous(messages);
    assert.equal(messages.at(-1)!.type, "completed");
    assert.deepEqual(comparable(messages), comparable(await client.events(jobId, 0)));
  } finally {
    await client.close();
  }
});

test("a failed job an operator retried: a watch from the start goes on past failed to the retry's completed", async () => {
  const client = await connect();
  try {
    // Stage 2 fails all of its (default 3) attempts, so the job fails; the retry's attempt succeeds.
    const accepted = await client.submit({ action: "simulate", payload: { stages: 2, failStage: 1, failTimes: 3, durationMs: 100, updates: 2 } });
    const jobId = accepted.type === "accepted" ? accepted.jobId : "";
    const firstRun = await collect(client.watch(jobId));
    assert.equal(firstRun.at(-1)!.type, "failed");

    const operatorToken = await requestDevelopmentToken(baseUrl, `ts-operator-${process.pid}`, { role: "operator" });
    const retry = await fetch(`${baseUrl}/api/operators/jobs/${encodeURIComponent(jobId)}/retry`, {
      method: "POST",
      headers: { authorization: `Bearer ${operatorToken}` },
    });
    assert.equal(retry.status, 202);
    const retried = await collect(client.watch(jobId, firstRun.at(-1)!.seq));
    assert.equal(retried.at(-1)!.type, "completed");

    // Everything is persisted now: one watch from the start yields both runs, failed included, and ends at completed.
    const whole = await collect(client.watch(jobId));
    assertContiguous(whole);
    assert.deepEqual(whole.filter((m) => m.type === "failed" || m.type === "completed").map((m) => m.type), ["failed", "completed"]);
    assert.equal(whole.at(-1)!.type, "completed");
  } finally {
    await client.close();
  }
});

test("another client resumes from the last seq the first one saw", async () => {
  const user = `ts-resume-${process.pid}-${Date.now()}`;
  const first = await connect({ user });
  const accepted = await first.submit({ action: "simulate", payload: { durationMs: 2500, updates: 25 } });
  const jobId = accepted.type === "accepted" ? accepted.jobId : assert.fail("expected accepted");
  const seen = await collect(first.watch(jobId), (_, count) => count === 2);
  await first.close();
  await new Promise((resolve) => setTimeout(resolve, 500)); // the job goes on while nobody listens

  const second = await connect({ user });
  try {
    const rest = await collect(second.watch(jobId, seen.at(-1)!.seq));
    const all = [...seen, ...rest];
    assertContiguous(all);
    assert.equal(all.at(-1)!.type, "completed");
    assert.deepEqual(comparable(all), comparable(await second.events(jobId, 0)));
  } finally {
    await second.close();
  }
});

test("cancel stops a running job and the watch ends with cancelled", async () => {
  const client = await connect();
  try {
    const accepted = await client.submit({ action: "simulate", payload: { durationMs: 60000, updates: 600 } });
    const jobId = accepted.type === "accepted" ? accepted.jobId : assert.fail("expected accepted");
    const messages = await collect(client.watch(jobId), async (message, count) => {
      if (count === 2) {
        const status = await client.cancel(jobId);
        assert.equal(status.type, "status");
        assert.equal(status.jobId, jobId);
      }
      return false;
    });
    assertContiguous(messages);
    const last = messages.at(-1)!;
    assert.equal(last.type, "cancelled");
    assert.equal(last.type === "cancelled" && last.error.code, "CANCELLED");
  } finally {
    await client.close();
  }
});

test("refusals are typed errors", async () => {
  const client = await connect();
  try {
    await assert.rejects(client.submit({ action: "no_such_action", payload: {} }),
      (error: unknown) => error instanceof JobClientError && error.code === "UNKNOWN_ACTION" && !error.isConnectionFailure);
    await assert.rejects(client.submit({ requestId: "bad id!", action: "echo" }),
      (error: unknown) => error instanceof JobClientError && error.code === "VALIDATION_ERROR");
    await assert.rejects(client.status("j0000000000000000000000000000000"),
      (error: unknown) => error instanceof JobClientError && error.code === "NOT_FOUND");
    await assert.rejects(client.resume("j0000000000000000000000000000000", 0),
      (error: unknown) => error instanceof JobClientError && error.code === "NOT_FOUND");
    const watch = client.watch("j0000000000000000000000000000000");
    await assert.rejects(collect(watch), (error: unknown) => error instanceof JobClientError && error.code === "NOT_FOUND");
  } finally {
    await client.close();
  }
  await assert.rejects(JobClient.connect({ baseUrl, token: "not-a-token", useNegotiate: throughNegotiate, reconnectForMs: 1000, logLevel: LogLevel.None }),
    (error: unknown) => error instanceof JobClientError && error.code === "UNAUTHORIZED");
});

test("connects through POST /api/negotiate", async () => {
  const client = await connect({ useNegotiate: true });
  try {
    if (throughNegotiate) {
      assert.notEqual(new URL(client.connection!.baseUrl).origin, new URL(baseUrl).origin, "the hub is the SignalR Service's, not the app's");
    }
    const reply = await client.submit({ action: "echo", payload: [1, 2, 3] });
    assert.deepEqual(reply.type === "result" ? reply.data : undefined, [1, 2, 3]);
  } finally {
    await client.close();
  }
});

test("over MessagePack: the same answers, and a watch yields the messages the HTTP API has, with at as text", async () => {
  const client = await connect({ useMessagePack: true });
  try {
    const reply = await client.submit({ action: "echo", payload: { hello: "msgpack", list: [1, 2.5, "x"], nested: { ok: true } } });
    assert.deepEqual(reply.type === "result" ? reply.data : undefined, { hello: "msgpack", list: [1, 2.5, "x"], nested: { ok: true } });

    const accepted = await client.submit({ action: "simulate", payload: { durationMs: 1500, updates: 15, stages: 2 } });
    const jobId = accepted.type === "accepted" ? accepted.jobId : "";
    const messages = await collect(client.watch(jobId));
    assertContiguous(messages);
    assert.equal(messages.at(-1)!.type, "completed");
    const events = await client.events(jobId, 0);
    assert.deepEqual(comparable(messages), comparable(events));
    for (const [i, message] of messages.entries()) {
      assert.equal(typeof message.at, "string");
      assert.equal(Date.parse(message.at), Date.parse(events[i]!.at), `seq ${message.seq}: the same instant as over HTTP`);
    }

    await assert.rejects(client.submit({ action: "no_such_action" }), (error: unknown) => error instanceof JobClientError && error.code === "UNKNOWN_ACTION");
  } finally {
    await client.close();
  }
});
