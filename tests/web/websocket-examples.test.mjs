// The plain-WebSocket examples (examples/) against both hosts, as docs/PROTOCOL.md documents them: the Node script run
// as a user runs it, and the page in real headless Chromium (scripts/suites/web.sh starts the hosts and sets
// SERVERLESS_URL, SERVERLESS_AZURE_URL and CHROMIUM). The page is a plain file, served here as a site would serve it:
// beside the API (a static server that passes /api/ on to the app, so negotiate is same-origin), or anywhere when it
// is given the hub URL and token.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const examples = fileURLToPath(new URL("../../examples/", import.meta.url));
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const launchArgs = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const targets = [
  { name: "local host", api: () => process.env.SERVERLESS_URL },
  { name: "Azure path", api: () => process.env.SERVERLESS_AZURE_URL },
];

let browser;
const sites = [];

before(async () => {
  assert.ok(process.env.SERVERLESS_URL, "SERVERLESS_URL must name a running local host");
  assert.ok(process.env.SERVERLESS_AZURE_URL, "SERVERLESS_AZURE_URL must name a running Functions app on the Azure path");
  browser = await chromium.launch({ executablePath, args: launchArgs, headless: true });
});

after(async () => {
  await browser?.close();
  for (const site of sites) site.close();
});

/** A site on a free loopback port: the example page at /websocket.html, and /api/ passed on to the app at api. */
async function siteFor(api) {
  const server = createServer(async (request, response) => {
    if (request.url.startsWith("/api/")) {
      const answer = await fetch(api + request.url, { method: request.method, headers: { authorization: request.headers.authorization ?? "" } });
      response.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "text/plain" });
      response.end(Buffer.from(await answer.arrayBuffer()));
    } else if (request.url.split("?")[0] === "/websocket.html") {
      response.writeHead(200, { "content-type": "text/html" });
      response.end(readFileSync(`${examples}websocket.html`));
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  sites.push(server);
  return `http://127.0.0.1:${server.address().port}`;
}

/** A page that records every console error and uncaught exception. */
async function openPage(url) {
  const page = await browser.newPage();
  const errors = [];
  page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(url);
  return { page, errors };
}

/** Runs the Node example to its end; answers its exit code and the JSON lines it printed. */
function runScript(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--experimental-websocket", "--no-warnings", `${examples}websocket-client.mjs`, ...args], { timeout: 120000 },
      (error, stdout, stderr) => resolve({
        code: error ? error.code ?? 1 : 0,
        stderr,
        lines: stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line)),
      }));
  });
}

/** Seqs 1..n each once, in order. */
function assertContiguous(seqs) {
  assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1));
}

for (const target of targets) {
  test(`${target.name}: the Node example runs a sync action and prints its result`, async () => {
    const { code, lines, stderr } = await runScript(["--api", target.api(), "--user", `script-sync-${Date.now()}`, "--action", "echo", "--payload", '{"hello":"node"}']);

    assert.equal(code, 0, stderr);
    const { answer } = lines.find((line) => line.answer);
    assert.equal(answer.type, "result");
    assert.deepEqual(answer.data, { hello: "node" });
  });

  test(`${target.name}: the Node example follows an async job from accepted to completed, every seq once`, async () => {
    const { code, lines, stderr } = await runScript(["--api", target.api(), "--user", `script-async-${Date.now()}`,
      "--action", "simulate", "--payload", '{"durationMs":2000,"updates":20,"stages":2}']);

    assert.equal(code, 0, stderr);
    assert.equal(lines[0].answer.type, "accepted");
    const messages = lines.filter((line) => line.job).map((line) => line.job);
    assertContiguous(messages.map((message) => message.seq));
    assert.ok(messages.some((message) => message.type === "progress"));
    assert.equal(messages.at(-1).type, "completed");
  });

  test(`${target.name}: the example page submits, shows live progress, and resumes after a reload to 100 %`, async () => {
    const site = await siteFor(target.api());
    const { page, errors } = await openPage(`${site}/websocket.html?user=page-${target.name.replace(/\W+/g, "-")}-${Date.now()}`);
    await page.waitForSelector('#connection[data-state="connected"]', { timeout: 20000 });
    await page.fill("#payload", '{ "durationMs": 6000, "updates": 30, "stages": 3 }');
    await page.click("#submit");

    // Live: the bar moves while the job runs; then the page is reloaded mid-job.
    await page.waitForSelector('#status[data-state="running"]', { timeout: 30000 });
    await page.waitForFunction(() => document.getElementById("bar").value > 0, null, { timeout: 30000 });
    const jobId = await page.textContent("#job-id");
    // Stop the page reading its socket first, so what it showed is exactly what it stored before the reload.
    const seenBefore = await page.evaluate(() => {
      socket.onmessage = socket.onclose = null;
      return [...document.querySelectorAll("#log li[data-seq]")].map((item) => Number(item.dataset.seq)).reverse();
    });
    assert.equal(await page.textContent("#status"), "running", "the reload must come mid-job; make the job longer");
    await page.reload();

    await page.waitForSelector('#status[data-state="completed"]', { timeout: 60000 });
    assert.equal(await page.textContent("#job-id"), jobId);
    assert.equal(await page.$eval("#bar", (bar) => bar.value), 100);
    // After the reload the log holds exactly the messages after the last seq seen before it: nothing lost, nothing twice.
    const seenAfter = (await page.$$eval("#log li[data-seq]", (items) => items.map((item) => Number(item.dataset.seq)))).reverse();
    assertContiguous([...seenBefore, ...seenAfter]);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test(`${target.name}: the example page given a hub URL and token (no negotiate) answers a sync action`, async () => {
    const api = target.api();
    const issued = await (await fetch(`${api}/api/dev/token?user=page-hub-${Date.now()}`, { method: "POST" })).json();
    const negotiated = await (await fetch(`${api}/api/negotiate`, { method: "POST", headers: { authorization: `Bearer ${issued.token}` } })).json();
    const site = await siteFor(api);
    const { page, errors } = await openPage(`${site}/websocket.html?${new URLSearchParams({ hub: negotiated.url, token: negotiated.accessToken })}`);

    await page.waitForSelector('#connection[data-state="connected"]', { timeout: 20000 });
    await page.selectOption("#action", "echo");
    await page.fill("#payload", '{ "hello": "page" }');
    await page.click("#submit");

    await page.waitForSelector('#status[data-state="completed"]', { timeout: 20000 });
    assert.equal(await page.$eval("#bar", (bar) => bar.value), 100);
    assert.match(await page.textContent("#log"), /result/);
    assert.deepEqual(errors, []);
    await page.close();
  });
}
