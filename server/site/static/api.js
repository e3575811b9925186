// The API of the server that served this page, called with the pairing code as the extension calls it.
//
// The code is kept in sessionStorage: it lasts as long as the tab and is never written to disk, so a
// shared computer forgets it. "Remember on this browser" keeps it in localStorage instead, for a
// self-hoster who opens briefings from the popup in new tabs (which start with an empty sessionStorage).

const KEY = "zmot.pairing-code";

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function pairingCode() {
  return sessionStorage.getItem(KEY) || localStorage.getItem(KEY) || "";
}

export function savePairingCode(code, remember) {
  forgetPairingCode();
  (remember ? localStorage : sessionStorage).setItem(KEY, code.trim());
}

export function forgetPairingCode() {
  sessionStorage.removeItem(KEY);
  localStorage.removeItem(KEY);
}

// The answer's JSON, or an ApiError with the server's code and message (401: no code or a wrong one).
export async function call(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json" };
  const code = pairingCode();
  if (code) headers.Authorization = `Bearer ${code}`;
  if (method !== "GET") headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    body: method === "GET" ? undefined : JSON.stringify(body ?? {}),
    credentials: "omit",
    cache: "no-store",
  });
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = (data && data.error) || {};
    throw new ApiError(response.status, error.code || "http_error", error.message || response.statusText);
  }
  return data;
}
