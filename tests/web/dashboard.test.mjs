// The operators' dashboard in real headless Chromium, against both hosts (scripts/suites/web.sh starts them and sets
// SERVERLESS_URL, SERVERLESS_AZURE_URL and CHROMIUM). The page is always served by the local host; against the Azure
// path it is given the Functions app as ?api= and negotiates its feed there (CORS on the app, SignalR Service emulator).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

const base = process.env.SERVERLESS_URL;
const azure = process.env.SERVERLESS_AZURE_URL;
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const launchArgs = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const targets = [
  { name: "local host", api: () => base },
  { name: "Azure path", api: () => azure },
];

let browser;

before(async () => {
  assert.ok(base, "SERVERLESS_URL must name a running local host");
  assert.ok(azure, "SERVERLESS_AZURE_URL must name a running Functions app on the Azure path (scripts/run-azure-local.sh)");
  browser = await chromium.launch({ executablePath, args: launchArgs, headless: true });
});

after(async () => {
  await browser?.close();
});

async function token(api, user, role) {
  const query = new URLSearchParams({ user, ...(role ? { role } : {}) });
  const response = await fetch(`${api}/api/dev/token?${query}`, { method: "POST" });
  assert.equal(response.status, 200, "development tokens must be enabled");
  return (await response.json()).token;
}

async function submit(api, userToken, request) {
  const response = await fetch(`${api}/api/jobs`, {
    method: "POST",
    headers: { authorization: `Bearer ${userToken}`, "content-type": "application/json" },
    body: JSON.stringify(request),
  });
  const body = await response.json();
  assert.equal(response.status, 202, JSON.stringify(body));
  return body;
}

/** A page that records every console error and uncaught exception. */
async function openPage(url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("requestfailed", (request) => errors.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
  await page.goto(url);
  return { page, errors };
}

/** The dashboard page on the local host, pointed at the target's API (none for the local host: its own origin). */
function dashboardUrl(target, userToken) {
  const query = new URLSearchParams({ token: userToken });
  if (target.api() !== base) query.set("api", target.api());
  return `${base}/dashboard/?${query}`;
}

for (const target of targets) {
  test(`${target.name}: dashboard shows a job live until its bar reaches 100 %, with health and stats, and no console errors`, async () => {
    const api = target.api();
    const operator = await token(api, "operator-ui", "operator");
    const { page, errors } = await openPage(dashboardUrl(target, operator));

    await page.waitForSelector('#feed[data-state="connected"]', { timeout: 15000 });
    await page.waitForSelector('#health li .light[data-status="green"]', { timeout: 15000 });
    assert.ok(!page.url().includes("token="), "the token is taken out of the address bar");

    const user = await token(api, `web-user-${Date.now()}`);
    const accepted = await submit(api, user, {
      requestId: `dash-${Date.now()}`,
      action: "simulate",
      payload: { durationMs: 2500, updates: 20, stages: 2 },
    });
    const row = `#jobs tr[data-job-id="${accepted.jobId}"]`;

    // Seen while running, before the end: the page updates live, not on reload.
    await page.waitForSelector(`${row}[data-status="running"]`, { timeout: 20000 });
    await page.waitForSelector(`${row}[data-status="completed"]`, { timeout: 30000 });
    assert.equal(await page.getAttribute(row, "data-percent"), "100");
    const fill = await page.$eval(`${row} .fill`, (element) => element.style.width);
    assert.equal(fill, "100%");
    assert.equal(await page.textContent(`${row} .owner`), await ownerOf(user));

    // Stats poll every 2 s and count the finished job.
    await page.waitForFunction(() => document.getElementById("stat-p50").textContent !== "–", null, { timeout: 10000 });
    const throughput = Number(await page.textContent("#stat-throughput"));
    assert.ok(throughput > 0, `throughput ${throughput}`);

    // Capacity from the same /api/stats: the process, and the task hub's queues once sampled.
    await page.waitForFunction(() => document.getElementById("cap-control").textContent !== "–", null, { timeout: 30000 });
    const memoryMiB = Number((await page.textContent("#cap-memory")).replace(/\D/g, ""));
    assert.ok(memoryMiB > 0, `memory ${memoryMiB} MiB`);
    assert.match(await page.textContent("#cap-stages"), /^\d+ \/ \d+$/);
    assert.match(await page.textContent("#cap-control-detail"), /^messages, oldest [\d.,]+ s$/);
    assert.equal(await page.textContent("#cap-poison"), "0");
    assert.equal(await page.evaluate(() => document.getElementById("cap-poison").closest(".card").dataset.alert), "false");

    // History: the finished job is in the current minute of the last hour's charts, and the 24 hours' too.
    await page.click("#history-hour");
    await page.waitForFunction(() => Number(document.getElementById("chart-throughput").dataset.points) > 0, null, { timeout: 30000 });
    assert.ok(Number(await page.getAttribute("#chart-throughput", "data-max")) > 0);
    assert.match(await page.textContent("#chart-p95-last"), /^last: [\d.,]+$/);
    await page.click("#history-day");
    assert.equal(await page.getAttribute("#history-day", "aria-pressed"), "true");
    await page.waitForFunction(() => Number(document.getElementById("chart-throughput").dataset.points) > 0, null, { timeout: 30000 });

    mkdirSync("artifacts", { recursive: true });
    await page.screenshot({ path: `artifacts/dashboard-${target.name.replace(/\W+/g, "-")}.png`, fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test(`${target.name}: an operator retries a failed job from the dashboard and watches it run to completed`, async () => {
    const api = target.api();
    const operator = await token(api, "operator-retry", "operator");
    const { page, errors } = await openPage(dashboardUrl(target, operator));
    await page.waitForSelector('#feed[data-state="connected"]', { timeout: 15000 });

    // Stage 2 fails all of its (default 3) attempts; the retry's attempt succeeds.
    const user = await token(api, `web-retry-${Date.now()}`);
    const accepted = await submit(api, user, {
      requestId: `dash-retry-${Date.now()}`,
      action: "simulate",
      payload: { durationMs: 400, updates: 4, stages: 2, failStage: 1, failTimes: 3, metadata: true },
    });
    const row = `#jobs tr[data-job-id="${accepted.jobId}"]`;
    await page.waitForSelector(`${row}[data-status="failed"] button.retry:not([hidden])`, { timeout: 60000 });

    await page.click(`${row} button.retry`);

    await page.waitForSelector(`${row}[data-status="completed"]`, { timeout: 60000 });
    assert.equal(await page.getAttribute(row, "data-percent"), "100");
    assert.equal(await page.isHidden(`${row} button.retry`), true);
    // The details column shows the handler's metadata of the latest progress: the last update of the last stage.
    assert.equal(await page.textContent(`${row} .details`), "update: 2, updates: 2");
    assert.ok(await page.isHidden("#banner"), await page.textContent("#banner"));
    assert.deepEqual(errors, []);
    await page.close();
  });

  test(`${target.name}: operator controls: pause and resume an action, hold the push circuit, cancel a job from the list`, async () => {
    const api = target.api();
    const operator = await token(api, "operator-controls-ui", "operator");
    const { page, errors } = await openPage(dashboardUrl(target, operator));
    const owner = `web-controls-${Date.now()}`;
    const user = await token(api, owner);

    // Pause: the paused list shows it, health names it, and a submit of the action is refused with 503.
    await page.fill("#intake-action", "echo");
    await page.click("#intake-pause");
    await page.waitForSelector('#intake-paused button[data-action="echo"]', { timeout: 10000 });
    await page.waitForSelector('#health li[data-name="intake"] .light[data-status="yellow"]', { timeout: 10000 });
    const refused = await fetch(`${api}/api/jobs`, {
      method: "POST",
      headers: { authorization: `Bearer ${user}`, "content-type": "application/json" },
      body: JSON.stringify({ requestId: `paused-${Date.now()}`, action: "echo", payload: {} }),
    });
    assert.equal(refused.status, 503);
    await page.click('#intake-paused button[data-action="echo"]');
    await page.waitForFunction(() => document.getElementById("intake-paused").textContent === "none", null, { timeout: 10000 });

    // The push circuit: held closed for a minute, then handed back.
    await page.selectOption("#circuit-state", "closed");
    await page.fill("#circuit-minutes", "1");
    await page.click("#circuit-apply");
    await page.waitForSelector('#circuit-now[data-state="closed"]', { timeout: 10000 });
    await page.selectOption("#circuit-state", "automatic");
    await page.click("#circuit-apply");
    await page.waitForSelector('#circuit-now[data-state="automatic"]', { timeout: 10000 });

    // The job list, filtered by owner; its Cancel button cancels another user's running job.
    const accepted = await submit(api, user, {
      requestId: `cancel-${Date.now()}`,
      action: "simulate",
      payload: { durationMs: 60000, updates: 600, stages: 2 },
    });
    await page.fill("#list-user", await ownerOf(user));
    await page.click("#list-search");
    const row = `#list tr[data-job-id="${accepted.jobId}"]`;
    await page.waitForSelector(row, { timeout: 10000 });
    await page.click(`${row} button.cancel`);
    await page.waitForFunction(async (selector) => {
      document.getElementById("list-search").click();
      return document.querySelector(selector)?.dataset.status === "cancelled";
    }, row, { timeout: 30000, polling: 1000 });

    assert.deepEqual(errors, []);
    await page.close();
  });

  test(`${target.name}: the operators' feed refuses a token without the operator role, and the page says so`, async () => {
    const user = await token(target.api(), "not-an-operator");
    const { page, errors } = await openPage(dashboardUrl(target, user));
    await page.waitForSelector("#banner:not([hidden])", { timeout: 15000 });
    assert.match(await page.textContent("#banner"), /operator/);
    assert.equal(await page.getAttribute("#feed", "data-state"), "disconnected");
    // The browser itself logs the refused negotiate (403); nothing else may fail.
    assert.deepEqual(errors.filter((text) => !/403|Forbidden/.test(text)), []);
    await page.close();
  });
  }

  /** The owner id the feed reports for a development token: its user id (no tenant). */
  async function ownerOf(userToken) {
    const payload = JSON.parse(Buffer.from(userToken.split(".")[1], "base64url").toString());
    return payload.sub;
}
