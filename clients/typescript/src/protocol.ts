// Protocol v1 (docs/PROTOCOL.md, docs/schemas/*.schema.json) as TypeScript types. Absent fields are omitted,
// never null.

/** The closed set of error codes. */
export const ErrorCodes = [
  "VALIDATION_ERROR", "UNKNOWN_ACTION", "PAYLOAD_TOO_LARGE", "UNAUTHORIZED", "NOT_FOUND", "RATE_LIMITED",
  "DUPLICATE_REQUEST", "TIMEOUT", "SERVICE_UNAVAILABLE", "HANDLER_FAILED", "CANCELLED", "INTERNAL",
] as const;
export type ErrorCode = (typeof ErrorCodes)[number];

export interface JobError {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
  details?: unknown;
}

export type JobPriority = "low" | "normal" | "high";
export type JobStatus = "queued" | "running" | "completed" | "failed" | "cancelled";

/** A job request; `requestId` (1–128 of [A-Za-z0-9._-]) is the idempotency key. */
export interface JobRequest {
  requestId: string;
  action: string;
  payload?: unknown;
  priority?: JobPriority;
}

export interface AcceptedMessage {
  type: "accepted";
  jobId: string;
  requestId: string;
  mode: "async";
  route?: string;
  duplicate?: true;
}

export interface ResultMessage {
  type: "result";
  requestId?: string;
  mode: "sync";
  ok: boolean;
  data?: unknown;
  error?: JobError;
  route?: string;
}

export interface ProgressMessage {
  type: "progress";
  jobId: string;
  seq: number;
  percent: number;
  stage: string;
  message?: string;
  metadata?: Record<string, string>;
  at: string;
  coalesced?: number;
}

export interface CompletedMessage {
  type: "completed";
  jobId: string;
  seq: number;
  percent?: number;
  at: string;
  result?: unknown;
}

export interface FailedMessage {
  type: "failed";
  jobId: string;
  seq: number;
  at: string;
  error: JobError;
}

export interface CancelledMessage {
  type: "cancelled";
  jobId: string;
  seq: number;
  at: string;
  error: JobError;
}

/** The answer to `cancel`. */
export interface StatusMessage {
  type: "status";
  jobId: string;
  requestId?: string;
  status: JobStatus;
  seq: number;
  percent?: number;
  stage?: string;
  message: string;
}

export interface ErrorMessage {
  type: "error";
  requestId?: string;
  error: JobError;
}

/** Every server-to-client message. */
export type JobMessage =
  | AcceptedMessage | ResultMessage | ProgressMessage | CompletedMessage | FailedMessage | CancelledMessage
  | StatusMessage | ErrorMessage;

/** The persisted messages of a job, each with a `seq`: what `watch` yields. */
export type JobEvent = ProgressMessage | CompletedMessage | FailedMessage | CancelledMessage;

export type TerminalEvent = CompletedMessage | FailedMessage | CancelledMessage;

export function isTerminal(message: JobMessage): message is TerminalEvent {
  return message.type === "completed" || message.type === "failed" || message.type === "cancelled";
}

/** A job's state (`GET /api/jobs/{id}`). */
export interface JobView {
  jobId: string;
  requestId: string;
  action: string;
  status: JobStatus;
  percent: number;
  stage?: string;
  lastSeq: number;
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
  result?: unknown;
  error?: JobError;
}

/** Hub methods and the push target. */
export const HubMethods = { submit: "Submit", cancel: "Cancel", resume: "Resume" } as const;
export const JobTarget = "job";
