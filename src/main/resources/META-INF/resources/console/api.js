/*
 * The API client: the caller's own credentials on every call (so the console can do nothing the API would
 * refuse), problem+json answers as ApiError, and small caches of what every page needs (portfolios' currency,
 * time zone and name; channels' names).
 */

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || ("HTTP " + status));
    this.status = status;
    this.problem = problem || {};
  }
}

export const session = {
  auth: sessionStorage.getItem("spendshift.auth"),
  me: null,
  /** Called when the API answers 401: the session ended. */
  onExpired: () => {},
};

/**
 * Whether the caller holds a role: globally, or (with a portfolio key) on that portfolio. /me lists the global roles
 * in `roles` and the roles on single portfolios in `portfolios: [{portfolio, roles}]`.
 */
export const can = (role, portfolio) => !!session.me && (session.me.roles.includes(role)
  || (portfolio != null && (session.me.portfolios || []).some(p => p.portfolio === portfolio && p.roles.includes(role))));

export async function api(method, path, opts = {}) {
  const headers = {"Accept": "application/json, application/problem+json"};
  if (session.auth) { headers.Authorization = session.auth; }
  let body = opts.body;
  if (body !== undefined) {
    headers["Content-Type"] = opts.contentType || "application/json";
    if (typeof body !== "string") { body = JSON.stringify(body); }
  }
  if (opts.ifMatch != null) { headers["If-Match"] = '"' + opts.ifMatch + '"'; }
  // credentials are sent explicitly; "omit" keeps the browser from offering its own login prompt
  const r = await fetch("/api/v1" + path, {method, headers, body, credentials: "omit"});
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = {detail: text}; }
  if (r.status === 401 && path !== "/me") { session.onExpired("Your session has ended; log in again."); }
  if (!r.ok) { throw new ApiError(r.status, data); }
  if (method !== "GET") { forget(); }
  return data;
}

/** Every item of a paged list (at most max pages of 500). */
export async function allPages(path, max = 20) {
  const out = [];
  for (let page = 0; page < max; page++) {
    const p = await api("GET", `${path}${path.includes("?") ? "&" : "?"}page=${page}&size=500`);
    out.push(...p.items);
    if (out.length >= p.total || p.items.length === 0) { break; }
  }
  return out;
}

/** A problem answer as a sentence a person can act on; 409 and 412 say what to do next. */
export function explain(e) {
  if (!(e instanceof ApiError)) { return "Request failed: " + e.message; }
  const p = e.problem;
  let msg = (p.title ? p.title + ": " : "") + (p.detail || "");
  if (e.status === 409) { msg = "Conflict: " + (p.detail || "the state changed") + ". Reload the page to see the current state."; }
  if (e.status === 412) { msg = "Someone changed this in the meantime (" + (p.detail || "version mismatch") + "). Reload the page and decide again."; }
  if (e.status === 403) { msg = "Not allowed: your roles do not permit this action."; }
  if (Array.isArray(p.errors) && p.errors.length) {
    msg += " " + p.errors.slice(0, 5).map(x => (x.field || x.file || "") + (x.line ? ":" + x.line : "") + " " + x.message).join("; ");
  }
  return msg;
}

let portfolioCache = null;
const channelCache = new Map();

/** Drops what the caches hold (after any change). */
export function forget() {
  portfolioCache = null;
  channelCache.clear();
}

/** key → portfolio (currency, timeZone, name, ...), read once per change. */
export async function portfolios() {
  if (!portfolioCache) {
    portfolioCache = allPages("/portfolios").then(items => new Map(items.map(p => [p.key, p])))
      .catch(e => { portfolioCache = null; throw e; });
  }
  return portfolioCache;
}

/** channel key → channel of a portfolio, read once per change. */
export async function channels(key) {
  if (!channelCache.has(key)) {
    channelCache.set(key, api("GET", `/portfolios/${encodeURIComponent(key)}/channels?size=500`)
      .then(p => new Map(p.items.map(c => [c.key, c])))
      .catch(e => { channelCache.delete(key); throw e; }));
  }
  return channelCache.get(key);
}
