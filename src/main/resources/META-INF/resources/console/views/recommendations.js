/*
 * Recommendations: the list, and one recommendation with its summary, forecast, verification, allocation,
 * shifts and explanation; approvers decide, edit the proposed budgets before approving (live total check), apply
 * and revert. Amounts in the portfolio's currency, times in its time zone, channels by name.
 */
import {html, render} from "../html.js";
import {api, ApiError, can, channels as channelsOf, explain, portfolios} from "../api.js";
import {badge, channelLabel, channelName, formatsOf} from "../format.js";
import {beforeAfter, intervals} from "../charts.js";
import {clearErrors, flash, show, showProblem} from "../ui.js";

const hashParams = () => new URLSearchParams(location.hash.split("?")[1] || "");
const STATUSES = ["", "PROPOSED", "APPROVED", "APPLIED", "REJECTED", "SUPERSEDED", "EXPIRED", "FAILED"];

/** The rule name that exploration shifts carry (API.md "Learning"): such shifts are experiments. */
const EXPLORATION_RULE = "Explore channels whose response cannot be estimated yet";

export async function recommendationsPage(view) {
  const params = hashParams();
  const portfolio = params.get("portfolio") || "", status = params.get("status") || "";
  const q = new URLSearchParams({size: "100"});
  if (portfolio) { q.set("portfolio", portfolio); }
  if (status) { q.set("status", status); }
  const [page, known] = await Promise.all([api("GET", "/recommendations?" + q), portfolios()]);
  render(view, html`<h1>Recommendations</h1>
    <form class="filters" id="rec-filter">
      <label>Portfolio <select name="portfolio"><option value="">any</option>
        ${[...known.values()].map(p => html`<option value="${p.key}" ${p.key === portfolio ? "selected" : ""}>${p.name}</option>`)}</select></label>
      <label>Status <select name="status">${STATUSES.map(s => html`<option ${s === status ? "selected" : ""} value="${s}">${s || "any"}</option>`)}</select></label>
      <button type="submit">Filter</button></form>
    <div class="table-wrap"><table id="recommendations"><thead><tr><th scope="col">#</th><th scope="col">Portfolio</th><th scope="col">Status</th>
    <th scope="col">Created</th><th scope="col" class="num">Moved</th><th scope="col">Rule set</th></tr></thead><tbody>
    ${page.items.map(r => {
      const p = known.get(r.portfolio), f = formatsOf(p);
      return html`<tr><td><a href="#/recommendations/${r.id}">${r.id}</a></td><td>${p ? p.name : r.portfolio}</td>
        <td>${badge(r.status)}${r.kind === "REVERT" && html` <span class="badge kind">REVERT</span> <span class="muted">of ${r.revertOf}</span>`}</td>
        <td>${f.when(r.createdAt)}</td><td class="num">${f.money(r.moved)}</td>
        <td><code>${(r.ruleSetVersion || "").slice(0, 12)}</code></td></tr>`;
    })}
    ${!page.items.length && html`<tr><td colspan="6" class="muted">None</td></tr>`}
    </tbody></table></div><p class="muted">${page.total} in all</p>`);
  document.getElementById("rec-filter").addEventListener("submit", ev => {
    ev.preventDefault();
    const f = new URLSearchParams(new FormData(ev.target));
    [...f.keys()].forEach(k => { if (!f.get(k)) { f.delete(k); } });
    location.hash = "#/recommendations" + (f.toString() ? "?" + f : "");
  });
}

// engine bookkeeping (the initial fact, accumulate results) says nothing to a reader
const readable = f => !(f && typeof f === "object" && (f.type === "InitialFactImpl" || String(f.value || "").startsWith("[L")));

function factsList(facts) {
  return (facts || []).filter(readable).map(f => {
    if (f === null || typeof f !== "object") { return html`<li>${f}</li>`; }
    const entries = Object.entries(f).filter(([, v]) => v !== null && typeof v !== "object");
    return html`<li>${entries.map(([k, v], i) => html`${i ? " · " : ""}<span class="muted">${k}</span> ${typeof v === "number" ? +v.toFixed(4) : v}`)}</li>`;
  });
}

const pct = level => level == null ? "" : Math.round(level * 100) + "%";

/** "+€12.35 (80% interval +€2.00 to +€31.00)" */
function interval(i, level, cur) {
  if (!i) { return html`<span class="muted">–</span>`; }
  return html`<strong>${cur(i.expected)}</strong> <span class="muted">(${level != null && pct(level) + " interval "}${cur(i.low)} to ${cur(i.high)})</span>`;
}

const intervalCells = (i, cur) => i ? html`<td class="num">${cur(i.expected)}</td><td class="num">${cur(i.low)}</td><td class="num">${cur(i.high)}</td>`
  : html`<td class="num">–</td><td class="num">–</td><td class="num">–</td>`;

/** A forecast in one line, for run results. f: the portfolio's formats. */
export function forecastLine(fc, f) {
  if (!fc) { return ""; }
  if (fc.unavailable) { return html`<span class="forecast-line">forecast unavailable: ${fc.unavailable}</span>`; }
  return html`<span class="forecast-line">forecast ${interval(fc.valuePerDay, fc.level, f.signed)} per day</span>`;
}

function forecastSection(fc, f, chans) {
  if (!fc) { return html`<div class="card" id="forecast"><p class="muted">No forecast was recorded for this recommendation.</p></div>`; }
  if (fc.unavailable) {
    return html`<div class="card" id="forecast"><p id="forecast-unavailable"><span class="badge INCONCLUSIVE">unavailable</span>
      The service could not forecast this plan: ${fc.unavailable}.</p>
      <p class="muted">A plan without a forecast is never applied automatically.</p></div>`;
  }
  const level = pct(fc.level);
  const rows = [{label: "portfolio", ...fc.valuePerDay}].concat((fc.channels || []).map(c => ({label: channelLabel(chans, c.channel), ...c.valuePerDay})));
  return html`<div class="card" id="forecast"><dl class="kv">
      <dt>Value per day</dt><dd id="forecast-per-day">${interval(fc.valuePerDay, fc.level, f.signed)}</dd>
      <dt>Over ${fc.horizonDays} days</dt><dd id="forecast-horizon">${interval(fc.valueOverHorizon, fc.level, f.signed)}</dd>
      ${fc.explorationCostPerDay && html`<dt>Exploration cost per day</dt><dd id="forecast-exploration">${interval(fc.explorationCostPerDay, fc.level, f.signed)}</dd>`}
    </dl>
    <p class="muted">The change of the portfolio's daily long-term value (new customers × LTV, else revenue) at steady
      state under the proposed budgets, against keeping the current ones; ${level} of outcomes are expected within the interval.</p>
    ${intervals(rows, `Forecast change of value per day with its ${level} interval, for the portfolio and per channel`, f.signedTicks)}
    ${(fc.channels || []).length > 0 && html`<div class="table-wrap"><table id="forecast-channels">
      <caption class="muted caption-left">Per channel, value per day (${level} interval)</caption>
      <thead><tr><th scope="col">Channel</th><th scope="col" class="num">Expected</th><th scope="col" class="num">Low</th>
      <th scope="col" class="num">High</th></tr></thead><tbody>
      ${fc.channels.map(c => html`<tr data-channel="${c.channel}"><th scope="row">${channelName(chans, c.channel)}</th>${intervalCells(c.valuePerDay, f.signed)}</tr>`)}
      </tbody></table></div>`}</div>`;
}

function experimentsSection(experiments, chans) {
  if (!experiments || !experiments.length) { return ""; }
  return html`<h2>Experiments</h2>
    <p class="muted">Small designed budget moves on channels whose response cannot be estimated yet, so that the
      service learns it (the portfolio's exploration policy bounds their size and cost).</p>
    <div class="table-wrap"><table id="experiments"><thead><tr><th scope="col">Channel</th><th scope="col" class="num">Budget change</th>
      <th scope="col">Until</th><th scope="col">Reason</th></tr></thead><tbody>
    ${experiments.map(x => html`<tr data-channel="${x.channel}"><th scope="row">${channelName(chans, x.channel)}</th>
      <td class="num ${x.deltaPct > 0 ? "pos" : x.deltaPct < 0 ? "neg" : ""}">${x.deltaPct > 0 ? "+" : ""}${+(+x.deltaPct).toFixed(2)}%</td>
      <td class="date">${x.until || "–"}</td><td>${x.reason || ""}</td></tr>`)}
    </tbody></table></div>`;
}

/** GET …/verification; null when the plan was never applied (409). */
async function verificationOf(r) {
  if (!r.appliedAt && r.status !== "APPLIED") { return null; }
  try {
    return await api("GET", `/recommendations/${r.id}/verification`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 409) { return null; }
    return {error: explain(e)};
  }
}

function verificationSection(v, f) {
  if (!v) { return ""; }
  if (v.error) { return html`<h2>Verification</h2><div class="card" id="verification"><p class="error">${v.error}</p></div>`; }
  const fc = v.forecast && !v.forecast.unavailable ? v.forecast : null;
  const level = fc ? pct(fc.level) : "";
  const what = {
    PENDING: "Not checked yet.",
    ON_TRACK: "The realized change is in line with the forecast.",
    UNDERDELIVERED: "The realized change fell below the forecast's interval.",
    INCONCLUSIVE: "The data cannot tell whether the plan delivered.",
  }[v.status] || "";
  return html`<h2>Verification</h2><div class="card" id="verification">
    <p id="verification-status">${badge(v.status)} ${what}${v.reason && html` <span id="verification-reason">${v.reason}.</span>`}</p>
    <dl class="kv">
      ${(v.checkedAt || v.afterDays > 0) && html`<dt>After</dt><dd>${v.afterDays} days of data</dd>`}
      <dt>Method</dt><dd>${v.method ? html`<code>${v.method}</code>` : html`<span class="muted">–</span>`}</dd>
      <dt>Checked</dt><dd>${v.checkedAt ? f.when(v.checkedAt) : html`<span class="muted">not yet</span>`}</dd>
    </dl>
    ${v.realized && fc && intervals([{label: "forecast", kind: "forecast", ...fc.valuePerDay}, {label: "realized", kind: "realized", ...v.realized}],
      "Realized change of value per day against the forecast, with their intervals", f.signedTicks)}
    <div class="table-wrap"><table id="verification-table">
      <caption class="muted caption-left">Change of value per day${level && ` (${level} intervals)`}</caption>
      <thead><tr><th scope="col"></th><th scope="col" class="num">Expected</th><th scope="col" class="num">Low</th>
      <th scope="col" class="num">High</th></tr></thead><tbody>
      <tr data-row="forecast"><th scope="row">Forecast</th>${fc ? intervalCells(fc.valuePerDay, f.signed)
        : html`<td colspan="3" class="muted">${v.forecast && v.forecast.unavailable ? "unavailable: " + v.forecast.unavailable : "none"}</td>`}</tr>
      <tr data-row="realized"><th scope="row">Realized</th>${v.realized ? intervalCells(v.realized, f.signed)
        : html`<td colspan="3" class="muted">not measured yet</td>`}</tr>
    </tbody></table></div></div>`;
}

/** A pacing block (when the API gives one): its values as a list, amounts in the currency. */
function pacingSection(pacing, f) {
  if (!pacing || typeof pacing !== "object") { return ""; }
  const label = k => k.replace(/([A-Z])/g, " $1").toLowerCase();
  const moneyKey = k => /budget|spend|amount|target|remaining|planned/i.test(k);
  const show = (k, v) => typeof v === "number" && moneyKey(k) ? f.money(v) : typeof v === "object" ? JSON.stringify(v) : String(v);
  return html`<h2>Pacing</h2><div class="card" id="pacing"><dl class="kv">
    ${Object.entries(pacing).filter(([, v]) => v != null).map(([k, v]) => html`<dt>${label(k)}</dt><dd>${show(k, v)}</dd>`)}
  </dl></div>`;
}

/** Explanation entries: title and text when the API gives them, the facts each rule matched; internal ones behind a disclosure. */
function explanationSection(entries, chans) {
  const entry = e => html`<div class="card explanation-entry"><strong>${e.title || e.rule}</strong>
    ${e.title && e.rule && e.title !== e.rule && html` <span class="muted">(${e.rule})</span>`}
    ${e.text && html`<p>${e.text}</p>`}
    ${(e.facts || []).filter(readable).length > 0 && html`<ul>${factsList(e.facts)}</ul>`}</div>`;
  const shown = (entries || []).filter(e => !e.internal), internal = (entries || []).filter(e => e.internal);
  return html`<div id="explanation">${shown.map(entry)}
    ${!shown.length && !internal.length && html`<p class="muted">No explanation recorded.</p>`}
    ${internal.length > 0 && html`<details id="internal-explanation"><summary>Internal detail (${internal.length} entries)</summary>${internal.map(entry)}</details>`}</div>`;
}

export async function recommendationPage(view, id) {
  const r = await api("GET", "/recommendations/" + id);
  const [known, verification, chans] = await Promise.all([portfolios().catch(() => new Map()), verificationOf(r),
    channelsOf(r.portfolio).catch(() => new Map())]);
  const portfolio = known.get(r.portfolio);
  const f = formatsOf(portfolio);
  const open = r.status === "PROPOSED", approved = r.status === "APPROVED";
  const mayDecide = can("approver", r.portfolio);
  const buttons = [];
  if (mayDecide && open) {
    buttons.push(html`<button type="button" id="approve">Approve</button>`);
    buttons.push(html`<button type="button" id="reject" class="danger">Reject</button>`);
    buttons.push(html`<button type="button" id="edit" class="secondary" aria-expanded="false" aria-controls="edit-form">Edit budgets</button>`);
  }
  if (mayDecide && (approved || r.status === "FAILED")) {
    buttons.push(html`<button type="button" id="apply">${approved ? "Apply" : "Apply again"}</button>`);
  }
  if (mayDecide && r.status === "APPLIED") {
    buttons.push(html`<button type="button" id="revert" class="secondary" aria-describedby="revert-hint">Revert</button>`);
  }
  const isRevert = r.kind === "REVERT";
  const total = r.allocations.reduce((t, a) => t + Math.round(+a.currentBudget * 100), 0);
  render(view, html`<h1>Recommendation ${r.id} ${badge(r.status)}${isRevert && html` <span class="badge kind">REVERT</span>`}</h1>
    ${r.summary && html`<p class="lead" id="summary">${r.summary}</p>`}
    <div class="card"><dl class="kv">
      <dt>Portfolio</dt><dd><a href="#/portfolios/${r.portfolio}">${portfolio ? portfolio.name : r.portfolio}</a></dd>
      ${isRevert && html`<dt>Kind</dt><dd id="revert-of">Revert: restores the budgets before
        ${r.revertOf != null ? html`<a href="#/recommendations/${r.revertOf}">recommendation ${r.revertOf}</a>` : "an applied plan"}</dd>`}
      <dt>For</dt><dd>${r.asOf} (${r.runId != null && `run ${r.runId}, `}created ${f.when(r.createdAt)})</dd>
      <dt>Moves</dt><dd id="moves">${f.money(r.moved)} of ${f.money(r.totalBudget)} daily budget</dd>
      <dt>Rule set</dt><dd><code class="wrap">${r.ruleSetVersion}</code></dd>
      ${r.decidedBy && html`<dt>Decided</dt><dd>${r.decidedBy}, ${f.when(r.decidedAt)}${r.comment && html` — “${r.comment}”`}</dd>`}
      ${r.appliedAt && html`<dt>Applied</dt><dd>${f.when(r.appliedAt)}</dd>`}
      ${r.autoApplyWithheld && html`<dt>Automatic apply</dt><dd id="auto-apply-withheld">withheld: ${r.autoApplyWithheld}</dd>`}
      ${r.failureReason && html`<dt>Failure</dt><dd class="error">${r.failureReason}</dd>`}
    </dl>
    <p class="muted small">Times in ${f.zone}, the portfolio's time zone; amounts in ${f.currency || "the portfolio's currency"}.</p>
    ${buttons.length > 0 && html`<div class="actions" id="decision">
      <label>Comment <input id="comment" size="40" maxlength="2000"></label>${buttons}</div>`}
    ${mayDecide && r.status === "APPLIED" && html`<p class="muted" id="revert-hint">Revert proposes a new recommendation that
      restores the budgets this plan changed; it is reviewed and applied like any other.</p>`}
    <p id="decision-result" role="status" aria-live="polite"></p></div>
    ${mayDecide && open && html`<form class="card" id="edit-form" hidden novalidate aria-labelledby="edit-heading">
      <h2 id="edit-heading">Edit the proposed budgets</h2>
      <p class="muted">Every budget stays within its channel's bounds; locked channels and those the rules hold keep their
        budget; the total stays ${f.money(total / 100)}. The shifts and the forecast are made again when you save.</p>
      <div class="form-errors" tabindex="-1" role="alert"></div>
      <div class="table-wrap"><table id="edit-table"><thead><tr><th scope="col">Channel</th><th scope="col" class="num">Current</th>
        <th scope="col" class="num">Bounds</th><th scope="col">Proposed</th></tr></thead><tbody>
      ${r.allocations.map((a, i) => {
        const c = chans.get(a.channel) || {};
        return html`<tr data-channel="${a.channel}"><th scope="row">${channelName(chans, a.channel)}${c.locked && html` <span class="badge">locked</span>`}</th>
          <td class="num">${f.money(a.currentBudget)}</td>
          <td class="num">${c.minDailyBudget != null ? f.money(c.minDailyBudget) : "–"} to ${c.maxDailyBudget != null ? f.money(c.maxDailyBudget) : "no maximum"}</td>
          <td><label class="inline"><span class="sr-only">Proposed daily budget of ${channelLabel(chans, a.channel)}</span>
            <input type="number" step="0.01" min="0" class="budget" name="${a.channel}" id="edit-${a.channel}"
              data-field="allocations[${i}].proposedBudget" value="${(+a.proposedBudget).toFixed(2)}" ${c.locked ? "readonly" : ""}></label></td></tr>`;
      })}</tbody></table></div>
      <p id="edit-total" aria-live="polite"></p>
      <label>Why <input id="edit-comment" size="50" maxlength="2000" data-field="comment"></label>
      <div class="actions"><button type="submit" id="edit-save">Save the edited plan</button>
        <button type="button" class="secondary" id="edit-cancel">Cancel</button></div></form>`}
    ${pacingSection(r.pacing, f)}
    <h2>Forecast</h2>
    ${forecastSection(r.forecast, f, chans)}
    ${verificationSection(verification, f)}
    <h2>Allocation per channel</h2>
    <div class="card" id="allocation-chart">${beforeAfter(r.allocations.map(a => ({label: channelLabel(chans, a.channel),
      before: +a.currentBudget, after: +a.proposedBudget})), "Current and proposed daily budget per channel", f.ticks, f.signed)}</div>
    <div class="table-wrap"><table id="allocations"><thead><tr><th scope="col">Channel</th><th scope="col" class="num">Current</th>
      <th scope="col" class="num">Proposed</th><th scope="col" class="num">Change</th></tr></thead><tbody>
    ${r.allocations.map(a => html`<tr data-channel="${a.channel}"><th scope="row">${channelName(chans, a.channel)}</th><td class="num">${f.money(a.currentBudget)}</td>
      <td class="num">${f.money(a.proposedBudget)}</td><td class="num ${a.delta > 0 ? "pos" : a.delta < 0 ? "neg" : ""}">${f.signed(a.delta)}</td></tr>`)}
    </tbody></table></div>
    ${experimentsSection(r.experiments || [], chans)}
    <h2>Shifts</h2>
    <div class="table-wrap"><table id="shifts"><thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col" class="num">Amount</th>
      <th scope="col">Rule</th><th scope="col">Why</th></tr></thead><tbody>
    ${r.shifts.map(s => {
      const experiment = s.rule === EXPLORATION_RULE;
      return html`<tr class="${experiment ? "experiment" : ""}" data-experiment="${experiment}"><td>${channelName(chans, s.from)}</td><td>${channelName(chans, s.to)}</td>
        <td class="num">${f.money(s.amount)}</td>
        <td>${experiment && html`<span class="badge experiment">experiment</span> `}${s.rule}</td>
        <td>${s.sentence ? html`<span class="sentence">${s.sentence}</span><br><span class="muted small">${s.reason}</span>` : s.reason}</td></tr>`;
    })}
    ${!r.shifts.length && html`<tr><td colspan="5" class="muted">No shifts</td></tr>`}
    </tbody></table></div>
    <h2>Why: the facts each rule matched</h2>
    ${explanationSection(r.explanation, chans)}`);

  const buttonsEnabled = on => document.querySelectorAll("#decision button").forEach(b => { b.disabled = !on; });
  const act = (verb, body) => async () => {
    const result = document.getElementById("decision-result");
    buttonsEnabled(false);
    try {
      await api("POST", `/recommendations/${r.id}/${verb}`, {body, ifMatch: r.version});
      await recommendationPage(view, id);
      show(`Recommendation ${r.id}: ${verb === "apply" ? "applied" : verb + "d"}.`, "info");
    } catch (e) {
      result.textContent = "";
      show(explain(e));
      buttonsEnabled(true);
    }
  };
  const comment = () => ({comment: document.getElementById("comment").value || null});
  document.getElementById("approve")?.addEventListener("click", () => act("approve", comment())());
  document.getElementById("reject")?.addEventListener("click", () => {
    if (!document.getElementById("comment").value.trim()) {
      show("Say why you reject it: a comment is required.");
      document.getElementById("comment").focus();
      return;
    }
    act("reject", comment())();
  });
  document.getElementById("apply")?.addEventListener("click", () => act("apply", undefined)());
  document.getElementById("revert")?.addEventListener("click", async () => {
    const result = document.getElementById("decision-result");
    buttonsEnabled(false);
    result.textContent = "Proposing the revert…";
    try {
      const text = document.getElementById("comment").value.trim();
      const created = await api("POST", `/recommendations/${r.id}/revert`, {body: text ? {comment: text} : {}});
      flash(`Recommendation ${created.id} proposes to revert recommendation ${r.id}: review and apply it.`, "info");
      location.hash = "#/recommendations/" + created.id;
    } catch (e) {
      result.textContent = "";
      show(explain(e));
      buttonsEnabled(true);
    }
  });
  const form = document.getElementById("edit-form");
  if (form) { editMode(view, id, r, form, total, f); }
}

/** The edit form: a live check of the total (to the cent), then PATCH with If-Match; errors next to their channel. */
function editMode(view, id, r, form, total, f) {
  const toggle = document.getElementById("edit");
  const inputs = [...form.querySelectorAll("input.budget")];
  const save = document.getElementById("edit-save");
  const check = () => {
    const cents = inputs.reduce((t, i) => t + Math.round((+i.value || 0) * 100), 0);
    const bad = inputs.some(i => i.value === "" || !isFinite(+i.value) || +i.value < 0);
    const diff = cents - total;
    const out = document.getElementById("edit-total");
    out.className = diff === 0 && !bad ? "pos" : "error";
    out.textContent = bad ? "Every channel needs a budget of at least 0."
      : diff === 0 ? `Total ${f.money(cents / 100)}: balanced, as the plan must be.`
        : `Total ${f.money(cents / 100)}: ${f.money(Math.abs(diff) / 100)} ${diff > 0 ? "over" : "under"} the ${f.money(total / 100)} to keep.`;
    save.disabled = bad || diff !== 0;
  };
  inputs.forEach(i => i.addEventListener("input", check));
  check();
  toggle.addEventListener("click", () => {
    form.hidden = !form.hidden;
    toggle.setAttribute("aria-expanded", String(!form.hidden));
    if (!form.hidden) { (inputs.find(i => !i.readOnly) || inputs[0]).focus(); }
  });
  document.getElementById("edit-cancel").addEventListener("click", () => {
    form.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    toggle.focus();
  });
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    clearErrors(form);
    save.disabled = true;
    const comment = document.getElementById("edit-comment").value.trim();
    try {
      await api("PATCH", `/recommendations/${r.id}`, {ifMatch: r.version, body: {
        allocations: inputs.map(i => ({channel: i.name, proposedBudget: +(+i.value).toFixed(2)})), comment: comment || null}});
      await recommendationPage(view, id);
      show(`Recommendation ${r.id}: your edit is saved; review it and approve.`, "info");
    } catch (e) {
      showProblem(form, e);
      check();
    }
  });
}

