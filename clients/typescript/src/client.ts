import { HubConnection, HubConnectionBuilder, HubConnectionState, LogLevel } from "@microsoft/signalr";
import {
  AcceptedMessage, ErrorMessage, HubMethods, JobEvent, JobMessage, JobRequest, JobStatus, JobTarget, JobView,
  ResultMessage, StatusMessage, isTerminal,
} from "./protocol.js";
import { JobClientError } from "./errors.js";
import { asJsonValues, messagePackProtocol } from "./messagePack.js";

export interface JobClientOptions {
  /** The service's base URL, e.g. `http://127.0.0.1:5080`; the HTTP API is under `/api`. */
  baseUrl: string;
  /** A bearer token, or a function returning one (called for every connection and HTTP call). */
  token: string | (() => string | Promise<string>);
  /** Connect to this hub URL directly; default `{baseUrl}/hubs/jobs`. Ignored with `useNegotiate`. */
  hubUrl?: string;
  /** Ask `POST /api/negotiate` for the hub URL and its token (the Azure deployment); default false. */
  useNegotiate?: boolean;
  /** Speak SignalR's binary MessagePack hub protocol instead of JSON (smaller frames, the same messages); default false. */
  useMessagePack?: boolean;
  /** How long to keep trying to reconnect a lost connection before watches fail; default 120 000 ms. */
  reconnectForMs?: number;
  /** A watch asks the hub again when nothing new arrived for this long (lost pushes); default 5000 ms. */
  resyncAfterMs?: number;
  /** SignalR's own log level; default `LogLevel.Warning`. */
  logLevel?: LogLevel;
}

/** Submit without a `requestId` and one is generated. */
export type SubmitRequest = Omit<JobRequest, "requestId"> & { requestId?: string };

interface Watcher {
  jobId: string;
  onMessage(message: JobEvent): void;
  resync(): void;
  fail(error: Error): void;
}

/**
 * One SignalR connection for submit, cancel and watching jobs, plus the HTTP API for state and events. A lost
 * connection is re-established by itself (immediately, then with capped exponential backoff and jitter) and
 * every watch resumes from the last seq it yielded.
 */
export class JobClient {
  readonly #options: Required<Pick<JobClientOptions, "reconnectForMs" | "resyncAfterMs" | "logLevel" | "useNegotiate">> & JobClientOptions;
  readonly #baseUrl: string;
  readonly #watchers = new Set<Watcher>();
  #connection: HubConnection | undefined;
  #connecting: Promise<HubConnection> | undefined;
  #closed = false;

  private constructor(options: JobClientOptions) {
    this.#options = { reconnectForMs: 120_000, resyncAfterMs: 5_000, logLevel: LogLevel.Warning, useNegotiate: false, ...options };
    this.#baseUrl = options.baseUrl.replace(/\/+$/, "");
  }

  /** Creates a client and opens its connection. */
  static async connect(options: JobClientOptions): Promise<JobClient> {
    const client = new JobClient(options);
    await client.#ensureConnected();
    return client;
  }

  /** The current SignalR connection (e.g. to observe or, in tests, to drop it). */
  get connection(): HubConnection | undefined {
    return this.#connection;
  }

  /** Submits a request: resolves with `accepted` (async) or a successful sync `result`; rejects with {@link JobClientError}. */
  async submit(request: SubmitRequest): Promise<AcceptedMessage | ResultMessage> {
    const full: JobRequest = { ...request, requestId: request.requestId ?? newRequestId() };
    const reply = await this.#invoke<JobMessage>(HubMethods.submit, full);
    if (reply.type === "error") throw JobClientError.from(reply.error);
    if (reply.type === "result" && !reply.ok && reply.error) throw JobClientError.from(reply.error);
    if (reply.type !== "accepted" && reply.type !== "result") throw JobClientError.protocol(`unexpected reply '${reply.type}' to submit`);
    return reply;
  }

  /** Asks the job to stop (it stops at its next progress report); resolves with its `status`. */
  async cancel(jobId: string): Promise<StatusMessage> {
    const reply = await this.#invoke<StatusMessage | ErrorMessage>(HubMethods.cancel, jobId);
    if (reply.type === "error") throw JobClientError.from(reply.error);
    return reply;
  }

  /** Every persisted message of the job after `afterSeq`, oldest first (one hub call). */
  async resume(jobId: string, afterSeq: number): Promise<JobEvent[]> {
    const reply = await this.#invoke<Array<JobEvent | ErrorMessage>>(HubMethods.resume, jobId, afterSeq);
    const error = reply.find((m): m is ErrorMessage => m.type === "error");
    if (error) throw JobClientError.from(error.error);
    return reply as JobEvent[];
  }

  /**
   * Yields every message of the job after `afterSeq` exactly once, in seq order, across reconnections, and
   * ends after the terminal one (`completed`, `failed` or `cancelled`) that nothing follows: a failed job an operator
   * retried goes on after its `failed` message. Break out of the loop to stop watching.
   */
  watch(jobId: string, afterSeq = 0, options: { signal?: AbortSignal } = {}): AsyncIterable<JobEvent> {
    return { [Symbol.asyncIterator]: () => this.#watch(jobId, afterSeq, options.signal) };
  }

  /** `GET /api/jobs/{id}`. */
  status(jobId: string): Promise<JobView> {
    return this.#http<JobView>("GET", `/api/jobs/${encodeURIComponent(jobId)}`);
  }

  /** `GET /api/jobs/{id}/events?afterSeq=N`. */
  events(jobId: string, afterSeq = 0): Promise<JobEvent[]> {
    return this.#http<JobEvent[]>("GET", `/api/jobs/${encodeURIComponent(jobId)}/events?afterSeq=${afterSeq}`);
  }

  /** `GET /api/jobs?status=&limit=`: your jobs, newest first. */
  list(status?: JobStatus, limit?: number): Promise<JobView[]> {
    const query = new URLSearchParams();
    if (status) query.set("status", status);
    if (limit !== undefined) query.set("limit", String(limit));
    return this.#http<JobView[]>("GET", `/api/jobs${query.size ? "?" + query : ""}`);
  }

  /** Closes the connection; running watches fail. */
  async close(): Promise<void> {
    this.#closed = true;
    const error = new JobClientError("The client was closed.", undefined, true);
    for (const watcher of [...this.#watchers]) watcher.fail(error);
    await this.#connection?.stop();
  }

  // ---- watching ---------------------------------------------------------------------------------------------

  async *#watch(jobId: string, afterSeq: number, signal?: AbortSignal): AsyncGenerator<JobEvent> {
    let lastSeq = afterSeq;
    const pending = new Map<number, JobEvent>(); // live pushes that overtook a gap
    const ready: JobEvent[] = [];
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    let lastProgress = Date.now();
    let resuming = false;
    let again = false;
    const notify = () => { wake?.(); wake = undefined; };

    const accept = (message: JobEvent, fromResume: boolean) => {
      if (message.seq <= lastSeq) return; // seen already (e.g. a terminal message pushed again)
      if (!fromResume && message.seq !== lastSeq + 1) {
        pending.set(message.seq, message);
        return;
      }
      // Resume answers hold everything persisted, so they close any gap; live pushes only continue the sequence.
      ready.push(message);
      lastSeq = message.seq;
      lastProgress = Date.now();
      for (let next = pending.get(lastSeq + 1); next; next = pending.get(lastSeq + 1)) {
        pending.delete(next.seq);
        ready.push(next);
        lastSeq = next.seq;
      }
      for (const seq of pending.keys()) if (seq <= lastSeq) pending.delete(seq);
      notify();
    };

    const resync = () => {
      // One resume at a time; a request while one runs is remembered, since the running one may predate a reconnection.
      if (resuming) { again = true; return; }
      resuming = true;
      void (async () => {
        try {
          do {
            again = false;
            const messages = await this.resume(jobId, lastSeq);
            for (const message of messages) accept(message, true);
          } while (again);
        } catch (error) {
          // A connection problem is retried by the reconnect loop (which resyncs); a refusal ends the watch.
          if (error instanceof JobClientError && !error.isConnectionFailure) {
            failure = error;
            notify();
          }
        } finally {
          resuming = false;
        }
      })();
    };

    const watcher: Watcher = {
      jobId,
      onMessage: (message) => accept(message, false),
      resync,
      fail: (error) => { failure ??= error; notify(); },
    };
    const onAbort = () => watcher.fail(new JobClientError("The watch was aborted.", undefined, false));
    signal?.addEventListener("abort", onAbort, { once: true });
    this.#watchers.add(watcher);
    // Listening starts before the resume, so nothing pushed in between is lost.
    const timer = setInterval(() => {
      if (Date.now() - lastProgress >= this.#options.resyncAfterMs && this.#connection?.state === HubConnectionState.Connected) {
        lastProgress = Date.now();
        resync();
      }
    }, Math.max(100, Math.floor(this.#options.resyncAfterMs / 4)));
    try {
      if (signal?.aborted) onAbort();
      await this.#ensureConnected();
      resync();
      while (true) {
        const message = ready.shift();
        if (message) {
          yield message;
          // A failed run that an operator retried is followed by the retry's messages: the watch goes on through them.
          if (isTerminal(message) && ready.length === 0 && pending.size === 0) return;
          continue;
        }
        if (failure) throw failure;
        await new Promise<void>((resolve) => { wake = resolve; });
      }
    } finally {
      clearInterval(timer);
      signal?.removeEventListener("abort", onAbort);
      this.#watchers.delete(watcher);
    }
  }

  // ---- connection -------------------------------------------------------------------------------------------

  async #invoke<T>(method: string, ...args: unknown[]): Promise<T> {
    const connection = await this.#ensureConnected();
    try {
      return asJsonValues(await connection.invoke<T>(method, ...args));
    } catch (error) {
      throw JobClientError.connection(`${method} failed: ${(error as Error).message}`, error);
    }
  }

  #ensureConnected(): Promise<HubConnection> {
    if (this.#closed) return Promise.reject(new JobClientError("The client was closed.", undefined, true));
    if (this.#connection?.state === HubConnectionState.Connected) return Promise.resolve(this.#connection);
    this.#connecting ??= this.#connectWithRetry().finally(() => { this.#connecting = undefined; });
    return this.#connecting;
  }

  async #connectWithRetry(): Promise<HubConnection> {
    const deadline = Date.now() + this.#options.reconnectForMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#start();
      } catch (error) {
        if (error instanceof JobClientError && !error.isConnectionFailure) throw error; // refused: retrying will not help
        const delay = attempt === 0 ? 0 : Math.min(10_000, 250 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
        if (this.#closed || Date.now() + delay > deadline) {
          const failure = JobClientError.connection(`Could not connect: ${(error as Error).message}`, error);
          for (const watcher of [...this.#watchers]) watcher.fail(failure);
          throw failure;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  async #start(): Promise<HubConnection> {
    let url = this.#options.hubUrl ?? `${this.#baseUrl}/hubs/jobs`;
    let token = await this.#token();
    if (this.#options.useNegotiate) {
      const reply = await this.#http<{ url: string; accessToken: string }>("POST", "/api/negotiate");
      url = reply.url;
      token = reply.accessToken;
    }

    const builder = new HubConnectionBuilder()
      .withUrl(url, { accessTokenFactory: () => token })
      .configureLogging(this.#options.logLevel);
    const connection = (this.#options.useMessagePack ? builder.withHubProtocol(messagePackProtocol()) : builder).build();
    connection.on(JobTarget, (pushed: JobMessage) => {
      const message = asJsonValues(pushed);
      if (message.type === "progress" || isTerminal(message)) {
        for (const watcher of this.#watchers) if (watcher.jobId === message.jobId) watcher.onMessage(message);
      }
    });
    connection.onclose(() => {
      if (this.#closed || this.#connection !== connection) return;
      // Any loss, including a stop by someone else: reconnect, then every watch resumes from its last seq.
      this.#ensureConnected().then(() => { for (const watcher of this.#watchers) watcher.resync(); }, () => {});
    });
    try {
      await connection.start();
    } catch (error) {
      const text = String((error as Error)?.message ?? error);
      if (/\b401\b/.test(text)) throw new JobClientError("The hub refused the token.", { code: "UNAUTHORIZED", message: text, retryable: false });
      throw JobClientError.connection(text, error);
    }
    this.#connection = connection;
    return connection;
  }

  async #token(): Promise<string> {
    return typeof this.#options.token === "function" ? await this.#options.token() : this.#options.token;
  }

  async #http<T>(method: string, path: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.#baseUrl + path, { method, headers: { authorization: `Bearer ${await this.#token()}` } });
    } catch (error) {
      throw JobClientError.connection(`${method} ${path} failed: ${(error as Error).message}`, error);
    }
    const body = (await response.json().catch(() => undefined)) as unknown;
    if (!response.ok) {
      const error = (body as ErrorMessage | undefined)?.error;
      throw error ? JobClientError.from(error) : JobClientError.connection(`${method} ${path} answered ${response.status}`);
    }
    return body as T;
  }
}

function newRequestId(): string {
  return "ts-" + crypto.randomUUID();
}
