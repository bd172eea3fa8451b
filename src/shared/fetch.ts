/**
 * The part of `fetch` that mailcanary's HTTP clients (the OAuth2 token endpoint, the webhook)
 * use: injected so that tests answer without a network.
 */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{ status: number; text(): Promise<string> }>;

/** 2xx, the way `Response.ok` counts it (WHATWG Fetch: status in the range 200 to 299). */
export const isOk = (status: number): boolean => status >= 200 && status <= 299;
