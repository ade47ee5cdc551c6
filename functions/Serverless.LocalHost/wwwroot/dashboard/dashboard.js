// The operators' dashboard: static files only, so it runs from the local host or any static site.
// Settings come from the query string (?api=…&token=…), then localStorage, then the page's own origin.
(() => {
  "use strict";

  const MaxRows = 200;
  const StatsEveryMs = 2000;
  const HealthEveryMs = 5000;
  const HistoryEveryMs = 15000;
  const TerminalTypes = new Set(["completed", "failed", "cancelled"]);
  const $ = (id) => document.getElementById(id);

  const settings = loadSettings();
  const jobs = new Map(); // jobId -> { row, seq }
  let connection = null;

  function loadSettings() {
    const query = new URLSearchParams(location.search);
    const api = query.get("api") || localStorage.getItem("serverless.api") || location.origin;
    const token = query.get("token") || localStorage.getItem("serverless.token") || "";
    // The token is kept for the next visit but taken out of the address bar, where it would leak into history.
    if (query.has("token")) {
      localStorage.setItem("serverless.token", token);
      query.delete("token");
      history.replaceState(null, "", location.pathname + (query.toString() ? "?" + query : ""));
    }
    if (query.has("api")) localStorage.setItem("serverless.api", api);
    return { api: api.replace(/\/+$/, ""), token };
  }

  function saveSettings(api, token) {
    settings.api = api.replace(/\/+$/, "");
    settings.token = token;
    localStorage.setItem("serverless.api", settings.api);
    localStorage.setItem("serverless.token", token);
  }

  function showBanner(text) {
    const banner = $("banner");
    banner.textContent = text;
    banner.hidden = !text;
  }

  // ---- live jobs over SignalR -------------------------------------------------------------------------------

  function setFeedState(state) {
    const pill = $("feed");
    pill.dataset.state = state;
    pill.textContent = "feed: " + state;
  }

  async function connect() {
    if (connection) {
      const old = connection;
      connection = null;
      await old.stop();
    }
    if (!window.signalR) {
      showBanner("The SignalR browser client did not load (lib/signalr/signalr.min.js): run 'npm ci' at the repository root and rebuild the local host.");
      setFeedState("disconnected");
      return;
    }
    if (!settings.token) {
      showBanner("No operator token: open Settings and paste a token with the 'operator' role (or get a development token).");
      $("settings").hidden = false;
      setFeedState("disconnected");
      return;
    }

    // Both hosts answer POST /api/operators/negotiate with where the feed is: the local host's operators' hub, or Azure
    // SignalR Service (a group on the clients' hub) with a service token; the client follows that answer.
    const current = new signalR.HubConnectionBuilder()
      // No cookies: the bearer token is the credential, so another origin's API needs no credentialed CORS.
      .withUrl(settings.api + "/api/operators", { accessTokenFactory: () => settings.token, withCredentials: false })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => Math.min(10000, 500 * 2 ** ctx.previousRetryCount) })
      .configureLogging(signalR.LogLevel.None)
      .build();
    connection = current;
    current.on("operatorJob", (feed) => onJobMessage(feed.owner, feed.message));
    current.onreconnecting(() => setFeedState("reconnecting"));
    current.onreconnected(() => setFeedState("connected"));
    current.onclose(() => { if (connection === current) setFeedState("disconnected"); });

    setFeedState("connecting");
    try {
      await current.start();
      if (connection !== current) return;
      showBanner("");
      setFeedState("connected");
    } catch (error) {
      if (connection !== current) return;
      setFeedState("disconnected");
      const refused = /401|403/.test(String(error && error.message));
      showBanner(refused
        ? "The feed refused the token: it needs the 'operator' role (roles claim)."
        : "Cannot reach the operators' feed at " + settings.api + "/api/operators; retrying in 5 s.");
      if (!refused) setTimeout(() => { if (connection === current) connect(); }, 5000);
    }
  }

  function onJobMessage(owner, message) {
    if (!message || !message.jobId) return;
    let job = jobs.get(message.jobId);
    if (!job) {
      job = { row: createRow(message.jobId), seq: 0 };
      jobs.set(message.jobId, job);
      $("jobs").prepend(job.row);
      trimRows();
    }
    // A message can arrive twice (a terminal one is re-pushed after a crash): keep the newest seq only.
    if (message.seq != null && message.seq <= job.seq) return;
    job.seq = message.seq ?? job.seq;

    const row = job.row;
    const status = TerminalTypes.has(message.type) ? message.type : "running";
    const percent = message.type === "completed" ? 100 : message.percent ?? Number(row.dataset.percent || 0);
    row.dataset.status = status;
    row.dataset.percent = String(percent);
    row.querySelector(".owner").textContent = owner;
    if (message.stage) row.querySelector(".stage").textContent = message.stage;
    row.querySelector(".fill").style.width = Math.max(0, Math.min(100, percent)) + "%";
    row.querySelector(".bar > span").textContent = percent.toFixed(percent % 1 === 0 ? 0 : 1) + " %";
    const statusCell = row.querySelector(".status");
    statusCell.textContent = status;
    statusCell.title = message.error ? message.error.code + ": " + message.error.message : "";
    row.querySelector(".seq").textContent = String(job.seq);
    row.querySelector(".updated").textContent = new Date(message.at || Date.now()).toLocaleTimeString();
    // The handler's metadata of the latest progress (a stage start's attempt, an operator's retry, rows processed...).
    if (message.type === "progress") row.querySelector(".details").textContent = describeMetadata(message.metadata);
    row.querySelector(".retry").hidden = status !== "failed";
    updateCount();
  }

  function describeMetadata(metadata) {
    if (!metadata || typeof metadata !== "object") return "";
    return Object.entries(metadata).map(([key, value]) => `${key}: ${typeof value === "object" ? JSON.stringify(value) : value}`).join(", ");
  }

  // An operator's retry of a failed job from its failed stage; the feed then shows the retry's messages.
  async function retryJob(row) {
    const button = row.querySelector(".retry");
    button.disabled = true;
    try {
      const response = await fetch(`${settings.api}/api/operators/jobs/${encodeURIComponent(row.dataset.jobId)}/retry`, {
        method: "POST",
        headers: { authorization: "Bearer " + settings.token },
      });
      const reply = await response.json().catch(() => null);
      if (response.status !== 202) {
        showBanner(`Retry of ${row.dataset.jobId} refused: ` + (reply && reply.error ? `${reply.error.code}: ${reply.error.message}` : "HTTP " + response.status));
        return;
      }
      // The retry's first message may have come over the feed already; otherwise the row waits for it as queued.
      if (row.dataset.status === "failed") {
        row.dataset.status = "queued";
        row.querySelector(".status").textContent = "queued";
      }
      button.hidden = true;
    } catch {
      showBanner("Cannot reach " + settings.api + " to retry " + row.dataset.jobId + ".");
    } finally {
      button.disabled = false;
    }
  }

  function createRow(jobId) {
    const row = document.createElement("tr");
    row.dataset.jobId = jobId;
    for (const name of ["job", "owner", "stage", "progress", "status", "details", "seq", "updated", "actions"]) {
      const cell = document.createElement("td");
      cell.className = name;
      row.appendChild(cell);
    }
    row.querySelector(".job").textContent = jobId;
    const bar = document.createElement("div");
    bar.className = "bar";
    bar.innerHTML = '<div class="fill"></div><span></span>';
    row.querySelector(".progress").appendChild(bar);
    const retry = document.createElement("button");
    retry.type = "button";
    retry.className = "retry";
    retry.textContent = "Retry";
    retry.title = "Run the failed job again from the stage that failed";
    retry.hidden = true;
    retry.addEventListener("click", () => retryJob(row));
    row.querySelector(".actions").appendChild(retry);
    return row;
  }

  function trimRows() {
    // Drop the oldest finished jobs first, so running ones stay visible.
    const rows = [...$("jobs").children];
    for (let i = rows.length - 1; i >= 0 && jobs.size > MaxRows; i--) {
      if (rows[i].dataset.status !== "running" || jobs.size > 2 * MaxRows) {
        jobs.delete(rows[i].dataset.jobId);
        rows[i].remove();
      }
    }
  }

  function updateCount() {
    const running = [...jobs.values()].filter((j) => j.row.dataset.status === "running").length;
    $("jobs-count").textContent = `${running} running, ${jobs.size} shown`;
    $("jobs-empty").hidden = jobs.size > 0;
  }

  // ---- statistics and health over HTTP ---------------------------------------------------------------------

  async function getJson(path) {
    const response = await fetch(settings.api + path, { cache: "no-store" });
    // /api/health answers 503 with a report when a dependency is red: still a report.
    if (!response.ok && response.status !== 503) throw new Error(path + " answered " + response.status);
    return response.json();
  }

  const number = (value, digits) => (value == null ? "–" : value.toLocaleString(undefined, { maximumFractionDigits: digits }));

  async function refreshStats() {
    try {
      const stats = await getJson("/api/stats");
      $("stat-throughput").textContent = number(stats.throughputPerSecond, 2);
      $("stat-p50").textContent = number(stats.latencyP50Ms, 0);
      $("stat-p95").textContent = number(stats.latencyP95Ms, 0);
      $("stat-p99").textContent = number(stats.latencyP99Ms, 0);
      $("stat-errors").textContent = number(stats.errorRate * 100, 1) + " %";
      $("stat-errors-detail").textContent = `${stats.failed} failed / ${stats.finished} finished`;
      $("stat-rejected").textContent = number(stats.rejected, 0);
      $("stat-window").textContent = `requests, last ${stats.windowSeconds} s`;
      showCapacity(stats.capacity);
    } catch {
      $("stat-throughput").textContent = "–";
    }
  }

  function showCapacity(capacity) {
    $("cap-cpu").textContent = number(capacity.cpuPercent, 1);
    $("cap-memory").textContent = number(capacity.workingSetBytes == null ? null : capacity.workingSetBytes / 1048576, 0);
    $("cap-stages").textContent = `${number(capacity.stagesRunning, 0)} / ${number(capacity.stagesWaiting, 0)}`;
    $("cap-control").textContent = number(capacity.controlQueueMessages, 0);
    $("cap-control-detail").textContent = `messages, oldest ${number(capacity.controlQueueOldestAgeSeconds, 1)} s`;
    $("cap-workitems").textContent = number(capacity.workItemQueueMessages, 0);
    $("cap-poison").textContent = number(capacity.poisonMessages, 0);
    $("cap-poison").closest(".card").dataset.alert = capacity.poisonMessages > 0 ? "true" : "false";
    $("cap-threadpool").textContent = number(capacity.threadPoolQueueLength, 0);
    $("cap-clients").textContent = number(capacity.connectedClients, 0);
  }

  // ---- history over HTTP: per-minute rollups of every instance ----------------------------------------------

  let historyRange = { minutes: 60, step: 1 };

  async function refreshHistory() {
    const to = new Date();
    const from = new Date(to.getTime() - historyRange.minutes * 60000);
    try {
      const points = await getJson(`/api/stats/history?from=${from.toISOString()}&to=${to.toISOString()}&step=${historyRange.step}`);
      const finished = points.map((p) => p.completed + p.failed + p.cancelled);
      plot("chart-throughput", points, finished.map((count) => count / historyRange.step), 1);
      plot("chart-failures", points, points.map((p, i) => (finished[i] === 0 ? 0 : (100 * p.failed) / finished[i])), 1);
      plot("chart-p95", points, points.map((p) => p.durationP95Ms), 0);
    } catch {
      for (const id of ["chart-throughput", "chart-failures", "chart-p95"]) plot(id, [], [], 0);
    }
  }

  // One line over the range; a minute without jobs has no point. The last value is written below the chart.
  function plot(id, points, values, digits) {
    const svg = $(id);
    const start = Date.now() - historyRange.minutes * 60000;
    const present = points.map((p, i) => ({ at: Date.parse(p.minute), value: values[i] })).filter((p) => p.value != null);
    const top = Math.max(1, ...present.map((p) => p.value));
    const line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
    line.setAttribute("points", present.map((p) =>
      `${(((p.at - start) / (historyRange.minutes * 60000)) * 300).toFixed(1)},${(90 - (p.value / top) * 85).toFixed(1)}`).join(" "));
    svg.replaceChildren(line);
    svg.dataset.points = String(present.length);
    svg.dataset.max = String(present.length ? top : 0);
    $(id + "-last").textContent = present.length ? "last: " + number(present[present.length - 1].value, digits) : "no jobs in this range";
  }

  function initHistory() {
    for (const button of [$("history-hour"), $("history-day")]) {
      button.addEventListener("click", () => {
        historyRange = { minutes: Number(button.dataset.minutes), step: Number(button.dataset.step) };
        for (const other of [$("history-hour"), $("history-day")]) other.setAttribute("aria-pressed", String(other === button));
        refreshHistory();
      });
    }
  }

  async function refreshHealth() {
    const list = $("health");
    const overall = $("health-overall");
    try {
      const report = await getJson("/api/health");
      overall.dataset.status = report.status;
      overall.title = report.status + " at " + new Date(report.checkedAt).toLocaleTimeString();
      list.replaceChildren(...report.dependencies.map((dependency) => {
        const item = document.createElement("li");
        item.dataset.name = dependency.name;
        const light = document.createElement("span");
        light.className = "light";
        light.dataset.status = dependency.status;
        const text = document.createElement("span");
        text.textContent = `${dependency.name}: ${dependency.detail} (${Math.round(dependency.latencyMs)} ms)`;
        item.append(light, text);
        return item;
      }));
    } catch {
      overall.dataset.status = "red";
      overall.title = "no answer from " + settings.api + "/api/health";
      const item = document.createElement("li");
      item.textContent = "The service does not answer at " + settings.api;
      list.replaceChildren(item);
    }
  }

  // ---- operator controls and the operators' job list over HTTP ------------------------------------------------

  async function operatorCall(method, path, body) {
    const response = await fetch(settings.api + path, {
      method,
      cache: "no-store",
      headers: { authorization: "Bearer " + settings.token, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const reply = await response.json();
    if (!response.ok) throw new Error(reply.error ? reply.error.code + ": " + reply.error.message : path + " answered " + response.status);
    return reply;
  }

  function showControls(controls) {
    const paused = $("intake-paused");
    paused.replaceChildren(...controls.pausedActions.map((action) => {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.action = action;
      button.textContent = "Resume " + action;
      button.addEventListener("click", () => control("POST", `/api/operators/actions/${encodeURIComponent(action)}/resume`));
      return button;
    }));
    if (controls.pausedActions.length === 0) paused.textContent = "none";
    const held = controls.pushCircuit;
    $("circuit-now").textContent = held ? `held ${held.state} by ${held.operator} until ${new Date(held.until).toLocaleTimeString()}` : "automatic";
    $("circuit-now").dataset.state = held ? held.state : "automatic";
  }

  async function control(method, path, body) {
    try {
      showControls(await operatorCall(method, path, body));
      $("controls-status").textContent = "";
      refreshHealth();
    } catch (error) {
      $("controls-status").textContent = String(error.message);
    }
  }

  async function refreshControls() {
    if (!settings.token) return;
    try {
      showControls(await operatorCall("GET", "/api/operators/controls"));
    } catch (error) {
      $("controls-status").textContent = String(error.message);
    }
  }

  async function refreshList() {
    const query = new URLSearchParams();
    for (const [name, id] of [["user", "list-user"], ["action", "list-action"], ["status", "list-status"]]) {
      if ($(id).value.trim()) query.set(name, $(id).value.trim());
    }
    if ($("list-since").value) query.set("from", new Date(Date.now() - Number($("list-since").value) * 60000).toISOString());
    query.set("limit", "50");
    try {
      const list = await operatorCall("GET", "/api/operators/jobs?" + query);
      $("list").replaceChildren(...list.jobs.map(({ owner, job }) => {
        const row = document.createElement("tr");
        row.dataset.jobId = job.jobId;
        row.dataset.status = job.status;
        for (const text of [job.jobId, owner, job.action, job.status, job.percent.toFixed(0) + " %", new Date(job.createdAt).toLocaleString()]) {
          const cell = document.createElement("td");
          cell.textContent = text;
          row.appendChild(cell);
        }
        const cancel = document.createElement("button");
        cancel.type = "button";
        cancel.className = "cancel";
        cancel.textContent = "Cancel";
        cancel.disabled = TerminalTypes.has(job.status);
        cancel.addEventListener("click", () => cancelJob(job.jobId));
        const cell = document.createElement("td");
        cell.appendChild(cancel);
        row.appendChild(cell);
        return row;
      }));
      $("list-complete").textContent = list.complete ? "" : "(the scan stopped at its bound: narrow the search)";
      $("controls-status").textContent = "";
    } catch (error) {
      $("controls-status").textContent = String(error.message);
    }
  }

  async function cancelJob(jobId) {
    try {
      await operatorCall("POST", `/api/operators/jobs/${encodeURIComponent(jobId)}/cancel`);
      $("controls-status").textContent = "";
    } catch (error) {
      $("controls-status").textContent = String(error.message);
    }
    refreshList();
  }

  function initControls() {
    $("intake-form").addEventListener("submit", (event) => {
      event.preventDefault();
      control("POST", `/api/operators/actions/${encodeURIComponent($("intake-action").value.trim())}/pause`);
    });
    $("circuit-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const state = $("circuit-state").value;
      control("POST", "/api/operators/push-circuit", state === "automatic" ? { state } : { state, minutes: Number($("circuit-minutes").value) });
    });
    $("list-form").addEventListener("submit", (event) => {
      event.preventDefault();
      refreshList();
    });
  }

  // ---- settings --------------------------------------------------------------------------------------------

  function initSettings() {
    $("api").textContent = settings.api;
    $("settings-api").value = settings.api;
    $("settings-token").value = settings.token;
    $("settings-toggle").addEventListener("click", () => { $("settings").hidden = !$("settings").hidden; });
    $("settings").addEventListener("submit", (event) => {
      event.preventDefault();
      saveSettings($("settings-api").value || location.origin, $("settings-token").value.trim());
      $("api").textContent = settings.api;
      $("settings").hidden = true;
      connect();
      refreshStats();
      refreshHealth();
      refreshControls();
    });
    $("settings-devtoken").addEventListener("click", async () => {
      const api = ($("settings-api").value || location.origin).replace(/\/+$/, "");
      const response = await fetch(api + "/api/dev/token?user=operator&role=operator", { method: "POST" });
      if (!response.ok) {
        showBanner("This service issues no development tokens (Auth:EnableDevelopmentTokens is false).");
        return;
      }
      $("settings-token").value = (await response.json()).token;
    });
  }

  initSettings();
  initHistory();
  initControls();
  refreshControls();
  updateCount();
  connect();
  refreshStats();
  refreshHealth();
  refreshHistory();
  setInterval(refreshStats, StatsEveryMs);
  setInterval(refreshHealth, HealthEveryMs);
  setInterval(refreshControls, HealthEveryMs);
  setInterval(refreshHistory, HistoryEveryMs);
})();
