/*
 * The audit trail, readable: when (in the entry's portfolio's time zone, named), who, the action in words, the
 * entity, a one-line summary; the details expand into formatted key/values. The chain's verification on top.
 */
import {html, render} from "../html.js";
import {api, can, portfolios} from "../api.js";
import {formatsOf, timeFormat} from "../format.js";

const hashParams = () => new URLSearchParams(location.hash.split("?")[1] || "");
const ACTIONS = ["PORTFOLIO_CREATED", "PORTFOLIO_UPDATED", "CHANNEL_UPSERTED", "METRICS_INGESTED", "SOURCE_PULL_FAILED",
  "RUN_STARTED", "RUN_FINISHED", "RUN_FAILED", "RECOMMENDATION_CREATED", "RECOMMENDATION_EDITED", "RECOMMENDATION_APPROVED",
  "RECOMMENDATION_REJECTED", "RECOMMENDATION_APPLIED", "RECOMMENDATION_SUPERSEDED", "RECOMMENDATION_EXPIRED", "APPLY_FAILED",
  "RULES_LOADED", "RULES_REJECTED", "BUDGET_CHANGED", "RECOMMENDATION_UNDERDELIVERED", "RULES_VALIDATED", "SCENARIOS_RUN",
  "SIMULATION_RUN", "AUDIT_KEY_ROTATED", "DROP_REJECTED", "PORTFOLIO_HELD", "NOTIFICATIONS_TESTED",
  "MAPPING_SAVED", "MAPPING_DELETED", "DRIFT_DETECTED", "MEMBERSHIP_GRANTED", "MEMBERSHIP_REVOKED"];

/** RECOMMENDATION_APPROVED → "Recommendation approved". */
export const inWords = action => {
  const s = String(action || "").toLowerCase().replace(/_/g, " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
};

const label = k => String(k).replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
const primitive = v => v === null || typeof v !== "object";
const short = v => { const s = String(v); return s.length > 80 ? s.slice(0, 77) + "…" : s; };

/** One line saying what the entry changed: the telling fields for well-known actions, else the first few values. */
export function summary(a) {
  const d = a.details || {};
  const pick = (...ks) => ks.filter(k => d[k] != null && primitive(d[k])).map(k => `${label(k)} ${short(d[k])}`).join(" · ");
  switch (a.action) {
    case "BUDGET_CHANGED": return `${d.before} → ${d.after}${d.effectiveOn ? ", effective " + d.effectiveOn : ""}${d.recommendationId ? " (recommendation " + d.recommendationId + ")" : ""}`;
    case "RECOMMENDATION_EDITED": return `moves ${d.movedBefore} → ${d.moved}${d.comment ? ": “" + short(d.comment) + "”" : ""}`;
    case "RECOMMENDATION_APPROVED": case "RECOMMENDATION_REJECTED": return d.comment ? `“${short(d.comment)}”` : "no comment";
    case "RECOMMENDATION_CREATED": return pick("kind", "moved", "runId", "revertOf") + (Array.isArray(d.shifts) ? ` · ${d.shifts.length} shift(s)` : "");
    default: {
      if (d.before && d.after && typeof d.before === "object" && !Array.isArray(d.before)) {
        // a change of an object: the fields that differ (bookkeeping left out)
        const changed = Object.keys({...d.before, ...d.after}).filter(k => !["version", "updatedAt"].includes(k)
          && JSON.stringify(d.before[k]) !== JSON.stringify(d.after[k]));
        return `changed ${changed.map(label).join(", ") || "nothing"}${d.credentials ? " · credentials changed" : ""}`;
      }
      const s = Object.entries(d).filter(([, v]) => primitive(v) && v !== null).slice(0, 4).map(([k, v]) => `${label(k)} ${short(v)}`).join(" · ");
      const nested = Object.entries(d).filter(([, v]) => !primitive(v)).map(([k]) => label(k));
      return s || (nested.length ? nested.join(", ") : "–");
    }
  }
}

/** Details as key/values: nested objects with dotted keys, lists of objects one line per item. */
function detailsList(value, prefix = "") {
  const rows = [];
  const walk = (v, key) => {
    if (primitive(v)) { rows.push([key, v === null ? "–" : String(v)]); }
    else if (Array.isArray(v)) {
      if (!v.length) { rows.push([key, "none"]); }
      v.forEach((item, i) => primitive(item) ? rows.push([`${key} ${i + 1}`, String(item)])
        : rows.push([`${key} ${i + 1}`, Object.entries(item).map(([k, x]) => `${label(k)} ${primitive(x) ? x : JSON.stringify(x)}`).join(" · ")]));
    } else { Object.entries(v).forEach(([k, x]) => walk(x, key ? `${key} › ${label(k)}` : label(k))); }
  };
  walk(value, prefix);
  return html`<dl class="kv details-kv">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

function entityLink(a) {
  if (a.entityType === "recommendation") { return html`<a href="#/recommendations/${a.entityId}">recommendation ${a.entityId}</a>`; }
  if (a.entityType === "portfolio" && a.entityId) { return html`<a href="#/portfolios/${a.entityId}">portfolio ${a.entityId}</a>`; }
  return html`${a.entityType} ${a.entityId || ""}`;
}

export async function auditPage(view) {
  const params = hashParams();
  const q = new URLSearchParams({order: "desc", size: "100", page: params.get("page") || "0"});
  ["portfolio", "action", "entityType", "entityId", "from", "to"].forEach(k => { if (params.get(k)) { q.set(k, params.get(k)); } });
  const [page, verify, known] = await Promise.all([api("GET", "/audit?" + q), can("viewer") ? api("GET", "/audit/verify") : null, portfolios().catch(() => new Map())]);
  const pageNo = +q.get("page");
  const nav = n => { const p = new URLSearchParams(params); p.set("page", n); return "#/audit?" + p; };
  const utc = timeFormat("UTC");
  const when = a => known.has(a.portfolio) ? formatsOf(known.get(a.portfolio)).when(a.at) : utc(a.at);
  const action = params.get("action") || "", portfolio = params.get("portfolio") || "";
  render(view, html`<h1>Audit trail</h1>
    ${verify ? html`<p id="chain" class="${verify.valid ? "pos" : "error"}">${verify.valid
      ? `Hash chain verified: ${verify.entries} entries, none altered.`
      : `Hash chain BROKEN at entry ${verify.firstBrokenSeq}: the log was altered.`}</p>`
      : html`<p id="chain" class="muted">Entries of your portfolios; verifying the whole chain needs a global role.</p>`}
    <form class="filters" id="audit-filter">
      <label>Portfolio <select name="portfolio"><option value="">any</option>
        ${[...known.values()].map(p => html`<option value="${p.key}" ${p.key === portfolio ? "selected" : ""}>${p.name}</option>`)}</select></label>
      <label>Action <select name="action"><option value="">any</option>
        ${ACTIONS.map(x => html`<option value="${x}" ${x === action ? "selected" : ""}>${inWords(x)}</option>`)}</select></label>
      <label>Entity <input name="entityType" value="${params.get("entityType") || ""}" size="12"></label>
      <label>From <input name="from" type="date" value="${params.get("from") || ""}"></label>
      <label>To <input name="to" type="date" value="${params.get("to") || ""}"></label>
      <button type="submit">Filter</button></form>
    <p class="muted small">Times in each entry's portfolio's time zone (UTC for entries of no portfolio), the zone named.</p>
    <div class="table-wrap"><table id="audit" class="audit"><thead><tr><th scope="col" class="num">#</th><th scope="col">When</th><th scope="col">Who</th>
      <th scope="col">Action</th><th scope="col">Entity</th><th scope="col">Summary</th></tr></thead><tbody>
    ${page.items.map(a => html`<tr data-seq="${a.seq}"><td class="num">${a.seq}</td><td class="date">${when(a)}</td><td>${a.actor}</td>
      <td title="${a.action}">${inWords(a.action)}</td>
      <td>${entityLink(a)}${a.portfolio && a.entityType !== "portfolio" && html`<br><span class="muted">${known.has(a.portfolio) ? known.get(a.portfolio).name : a.portfolio}</span>`}</td>
      <td class="wrap"><span class="audit-summary">${summary(a)}</span>
        <details class="audit-details"><summary>Details</summary>${detailsList(a.details || {})}
          <p class="muted small">hash <code class="wrap">${a.hash}</code></p></details></td></tr>`)}
    ${!page.items.length && html`<tr><td colspan="6" class="muted">No entries</td></tr>`}
    </tbody></table></div>
    <p class="actions">${pageNo > 0 && html`<a href="${nav(pageNo - 1)}">Newer</a>`}
      <span class="muted">${page.total} entries</span>
      ${(pageNo + 1) * 100 < page.total && html`<a href="${nav(pageNo + 1)}">Older</a>`}</p>`);
  document.getElementById("audit-filter").addEventListener("submit", ev => {
    ev.preventDefault();
    const f = new URLSearchParams(new FormData(ev.target));
    [...f.keys()].forEach(k => { if (!f.get(k)) { f.delete(k); } });
    location.hash = "#/audit" + (f.toString() ? "?" + f : "");
  });
}
