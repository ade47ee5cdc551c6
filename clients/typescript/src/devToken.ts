import { JobClientError } from "./errors.js";

/**
 * A token from `POST /api/dev/token?user=` — only where the service enables development tokens
 * (`Auth:EnableDevelopmentTokens`, the local host's default). `role: "operator"` adds the operator role.
 */
export async function requestDevelopmentToken(baseUrl: string, user: string, options: { tenant?: string; role?: "operator" } = {}): Promise<string> {
  const query = new URLSearchParams({ user });
  if (options.tenant) query.set("tenant", options.tenant);
  if (options.role) query.set("role", options.role);
  const response = await fetch(`${baseUrl.replace(/\/+$/, "")}/api/dev/token?${query}`, { method: "POST" });
  if (!response.ok) {
    throw JobClientError.connection(`POST /api/dev/token answered ${response.status}: development tokens are off on this service`);
  }
  return ((await response.json()) as { token: string }).token;
}
