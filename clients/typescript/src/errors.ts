import { JobError } from "./protocol.js";

/**
 * A refusal by the service (`error` carries the protocol's typed error) or a failure to reach it
 * (`isConnectionFailure`, no `error`).
 */
export class JobClientError extends Error {
  constructor(
    message: string,
    readonly error?: JobError,
    readonly isConnectionFailure = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "JobClientError";
  }

  /** The protocol's error code, when the service answered with one. */
  get code(): JobError["code"] | undefined {
    return this.error?.code;
  }

  static from(error: JobError): JobClientError {
    return new JobClientError(`${error.code}: ${error.message}`, error);
  }

  static connection(message: string, cause?: unknown): JobClientError {
    return new JobClientError(message, undefined, true, { cause });
  }

  static protocol(message: string): JobClientError {
    return new JobClientError(message, { code: "INTERNAL", message, retryable: false });
  }
}
