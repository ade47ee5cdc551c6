export * from "./protocol.js";
export { JobClientError } from "./errors.js";
export { JobClient, type JobClientOptions, type SubmitRequest } from "./client.js";
export { requestDevelopmentToken } from "./devToken.js";
