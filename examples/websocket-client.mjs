// Serverless from Node with nothing but WebSocket: no SignalR library (docs/PROTOCOL.md, "A plain WebSocket").
// Submits one job, prints every answer and job message as a JSON line, and ends after the terminal one; if the
// connection drops, it connects again and resumes from the last seq it printed.
//
//   node --experimental-websocket examples/websocket-client.mjs [--api http://127.0.0.1:5080] [--user alice | --token T]
//        [--action simulate] [--payload '{"durationMs":3000}']
//
// Node 22 and later have WebSocket built in; Node 20 needs --experimental-websocket.
import { parseArgs } from "node:util";

const RS = "\u001e"; // every SignalR JSON message ends with this record separator
const { values: options } = parseArgs({
  options: {
    api: { type: "string", default: process.env.SERVERLESS_URL ?? "http://127.0.0.1:5080" },
    user: { type: "string", default: "websocket-script" },
    token: { type: "string", default: process.env.SERVERLESS_TOKEN },
    action: { type: "string", default: "simulate" },
    payload: { type: "string", default: '{"durationMs":3000,"updates":10,"stages":2}' },
    "request-id": { type: "string", default: `script-${Date.now()}` },
  },
});
if (typeof WebSocket !== "function") {
  console.error("No WebSocket in this Node: run it with --experimental-websocket (Node 20) or on Node 22+.");
  process.exit(2);
}

const print = (what, body) => console.log(JSON.stringify({ [what]: body }));
const api = options.api.replace(/\/$/, "");

async function post(path, token) {
  const response = await fetch(api + path, { method: "POST", headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** One connection: negotiate, open the WebSocket, complete the JSON handshake; then invoke() and job pushes. */
async function connect(token, onJob, onClose) {
  const { url, accessToken } = await post("/api/negotiate", token); // the local hub, or Azure SignalR Service
  const socket = new WebSocket(url.replace(/^http/, "ws") + (url.includes("?") ? "&" : "?") + "access_token=" + encodeURIComponent(accessToken));
  const pending = new Map();
  let buffer = "", nextId = 0, pinger;
  await new Promise((resolve, reject) => {
    socket.onopen = () => socket.send(JSON.stringify({ protocol: "json", version: 1 }) + RS);
    socket.onerror = () => reject(new Error(`could not connect to ${url}`));
    socket.onmessage = (event) => {
      buffer += event.data;
      let end;
      while ((end = buffer.indexOf(RS)) >= 0) {
        const message = JSON.parse(buffer.slice(0, end));
        buffer = buffer.slice(end + 1);
        if (!pinger) {                                        // the handshake's answer: {} or { error }
          if (message.error) return reject(new Error(`handshake refused: ${message.error}`));
          pinger = setInterval(() => socket.send(JSON.stringify({ type: 6 }) + RS), 15000); // silent clients are dropped
          resolve();
        } else if (message.type === 1 && message.target === "job") {
          onJob(message.arguments[0]);
        } else if (message.type === 3) {
          const call = pending.get(message.invocationId);
          pending.delete(message.invocationId);
          if (message.error) call?.reject(new Error(message.error)); else call?.resolve(message.result);
        } else if (message.type === 7) {
          print("closed", message.error ?? null);
        }
      }
    };
    socket.onclose = () => {
      clearInterval(pinger);
      for (const call of pending.values()) call.reject(new Error("connection closed"));
      reject(new Error("connection closed"));
      onClose();
    };
  });
  return {
    invoke(target, ...args) {
      const invocationId = String(++nextId);
      return new Promise((resolve, reject) => {
        pending.set(invocationId, { resolve, reject });
        socket.send(JSON.stringify({ type: 1, invocationId, target, arguments: args }) + RS);
      });
    },
    close() { clearInterval(pinger); socket.onclose = null; socket.close(); },
  };
}

const token = options.token ?? (await post(`/api/dev/token?user=${encodeURIComponent(options.user)}`)).token;
let jobId = null, lastSeq = 0, connection, finish;
const finished = new Promise((resolve) => { finish = resolve; });

// Each message once, in seq order: a resume's replay and live pushes can overlap or overtake each other, so a
// message beyond the next seq waits until the ones before it arrive.
const early = new Map();
function onJob(message) {
  if (message.jobId !== jobId || message.seq <= lastSeq) return;
  early.set(message.seq, message);
  for (let next; (next = early.get(lastSeq + 1)); lastSeq++) {
    early.delete(next.seq);
    print("job", next);
    if (["completed", "failed", "cancelled"].includes(next.type)) finish(next.type === "completed" ? 0 : 1);
  }
}

async function open() {
  connection = await connect(token, onJob, () => setTimeout(() => reopen(), 1000));
  if (jobId) for (const message of await connection.invoke("resume", jobId, lastSeq)) onJob(message);
}

async function reopen() {
  print("reconnecting", { jobId, lastSeq });
  try { await open(); } catch { setTimeout(() => reopen(), 2000); }
}

await open();
const answer = await connection.invoke("submit", { requestId: options["request-id"], action: options.action, payload: JSON.parse(options.payload) });
print("answer", answer);
if (answer.type === "accepted") {
  jobId = answer.jobId;
  for (const message of await connection.invoke("resume", jobId, 0)) onJob(message); // pushes sent before we knew the id
  process.exitCode = await finished;
} else {
  process.exitCode = answer.type === "result" && answer.ok ? 0 : 1;
}
connection.close();
