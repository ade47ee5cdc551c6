import { IHubProtocol } from "@microsoft/signalr";
import { MessagePackHubProtocol } from "@microsoft/signalr-protocol-msgpack";

/** SignalR's MessagePack hub protocol, writing absent fields as absent (not nil), as the JSON protocol does. */
export function messagePackProtocol(): IHubProtocol {
  return new MessagePackHubProtocol({ ignoreUndefined: true });
}

/**
 * A received message as its JSON form: Azure SignalR Service converts the app's JSON pushes for MessagePack clients and
 * makes date-like strings (`at`) MessagePack timestamps, which arrive as `Date`; they become ISO 8601 text again.
 */
export function asJsonValues<T>(value: T): T {
  if (value instanceof Date) return value.toISOString() as T;
  if (Array.isArray(value)) return value.map(asJsonValues) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, asJsonValues(item)])) as T;
  }
  return value;
}
