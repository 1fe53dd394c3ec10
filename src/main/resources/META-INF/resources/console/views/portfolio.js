/*
 * One portfolio: its settings at a glance, its channels as the rules see them (spend, revenue, conversions, new
 * customers, ROAS, CAC, LTV:CAC), its history over any period against the period before, and its channels.
 */
import {html, render} from "../html.js";
import {allPages, api, can, channels as channelsOf, explain} from "../api.js";
import {badge, channelLabel, channelName, formatsOf, number, percent, ratio} from "../format.js";
import {scatter} from "../charts.js";
import {addDays, comparisonChart, datesFrom, daysBetween, previousPeriod} from "../history.js";
import {show} from "../ui.js";
import {forecastLine} from "./recommendations.js";

const hashParams = () => new URLSearchParams(location.hash.split("?")[1] || "");
/** What a channel's value rests on (valueSource of GET …/performance), in the console's words. */
export const VALUE_SOURCES = {OUTCOMES: "customer feed", METRICS: "LTV in metrics", REVENUE: "platform revenue"};
const VALUE_SOURCE_HINTS = {OUTCOMES: "new customers and LTV from the team's outcomes feed (POST …/outcomes or the drop folder)",
  METRICS: "new customers and LTV as the metric rows carry them", REVENUE: "no customer data: value is the platform's revenue"};

/** The date of each customer-fed channel's latest outcome row: one newest-first row per such channel. */
async function latestOutcomes(key, perf) {
  const fed = perf.channels.filter(c => c.valueSource === "OUTCOMES").map(c => c.channel);
  const found = await Promise.all(fed.map(c => api("GET", `/portfolios/${key}/outcomes?channel=${encodeURIComponent(c)}&size=1&order=desc`)
    .then(page => [c, page.items.length ? page.items[0].date : null]).catch(() => [c, null])));
  return new Map(found);
}

const value = m => m.ltv != null ? (+m.newCustomers || 0) * (+m.ltv) : (+m.revenue || 0);

/** Sums of a set of daily rows: the same definitions as the API's facts (API.md). */
function totals(rows) {
  const t = {spend: 0, revenue: 0, conversions: 0, newCustomers: 0, acquisitionSpend: 0, ltvWeighted: 0, ltvCustomers: 0,
    value: 0};
  rows.forEach(m => {
    t.spend += +m.spend || 0;
    t.revenue += +m.revenue || 0;
    t.conversions += +m.conversions || 0;
    t.newCustomers += +m.newCustomers || 0;
    // CAC only over rows whose new customers are known: an unknown count is not zero customers
    if (m.newCustomers != null) { t.acquisitionSpend += +m.spend || 0; }
    if (m.ltv != null) { t.ltvWeighted += (+m.newCustomers || 0) * (+m.ltv); t.ltvCustomers += +m.newCustomers || 0; }
    t.value += value(m);
  });
  t.roas = t.spend ? t.revenue / t.spend : null;
  t.cac = t.newCustomers ? t.acquisitionSpend / t.newCustomers : null;
  t.ltv = t.ltvCustomers ? t.ltvWeighted / t.ltvCustomers : null;
  t.ltvToCac = t.ltv != null && t.cac ? t.ltv / t.cac : null;
  return t;
}

const change = (now, before) => now == null || before == null || !before ? null : (now - before) / Math.abs(before);
const changeCell = c => c == null ? html`<td class="num muted">–</td>`
  : html`<td class="num ${c > 0 ? "pos" : c < 0 ? "neg" : ""}">${c > 0 ? "+" : ""}${percent(c, 1)}</td>`;

/** The period shown: a preset (28, 90 days, all) ending on the last day with data, or from..to. */
function period(params, first, last) {
  const preset = params.get("preset") || (params.get("from") ? "" : "28");
  let from = params.get("from"), to = params.get("to") || last;
  if (preset === "all") { from = first; to = last; }
  else if (preset) { to = last; from = addDays(last, -(+preset - 1)); }
  if (!from || from > to) { from = addDays(to, -27); }
  return {from, to, preset};
}

export async function portfolioPage(view, key) {
  const [p, perf, chans] = await Promise.all([api("GET", "/portfolios/" + key),
    api("GET", `/portfolios/${key}/performance`), channelsOf(key)]);
  const f = formatsOf(p);
  const [metrics, latest] = await Promise.all([allPages(`/portfolios/${key}/metrics`), latestOutcomes(key, perf)]);
  const dates = metrics.map(m => m.date).sort();
  const today = perf.window.to;
  const first = dates[0] || perf.window.from, last = dates[dates.length - 1] || today;
  const params = hashParams();
  const {from, to, preset} = period(params, first, last);
  const prev = previousPeriod(from, to);
  const channel = params.get("channel") || "";
  const mayRun = can("strategist", key) || can("approver", key);
  const admin = can("admin", key);
  const inPeriod = (m, a, b) => m.date >= a && m.date <= b && (!channel || m.channel === channel);
  const current = metrics.filter(m => inPeriod(m, from, to));
  const before = metrics.filter(m => inPeriod(m, prev.from, prev.to));
  const channelKeys = [...chans.keys()];
  const plan = p.plan || {};

  render(view, html`<div class="title-row"><h1>${p.name} <span class="muted">${p.key}</span></h1>
    ${(admin || can("ingest", key)) && html`<div class="actions">${admin && html`<a class="button secondary" id="settings" href="#/portfolios/${key}/settings">Settings</a>
      <a class="button secondary" id="add-channel" href="#/portfolios/${key}/channels/new">Add channel</a>`}
      <a class="button secondary" id="upload" href="#/portfolios/${key}/upload">Upload metrics or customer value</a></div>`}</div>
    <div class="card"><dl class="kv">
      <dt>Mode</dt><dd>${p.mode}${p.schedule ? html`, on <code>${p.schedule}</code>` : ", runs on demand"}</dd>
      <dt>Time zone</dt><dd id="time-zone">${p.timeZone} <span class="muted">(every time on this page is in this zone)</span></dd>
      <dt>Total daily budget</dt><dd>${f.money(p.totalDailyBudget)}</dd>
      ${(plan.monthlyBudget != null || (plan.flights || []).length > 0) && html`<dt>Budget plan</dt><dd id="plan-summary">
        ${plan.monthlyBudget != null && html`${f.money(plan.monthlyBudget)} a month`}
        ${(plan.flights || []).map(fl => html`<br>flight ${fl.from} to ${fl.to}: ${f.money(fl.budget)}`)}</dd>`}
      <dt>Window</dt><dd>${perf.window.from} to ${perf.window.to} (facts as of ${perf.asOf})</dd>
      <dt>Guardrails</dt><dd>max shift ${p.policy.maxShiftPct}% · min ${p.policy.minConversions} conversions ·
        cooldown ${p.policy.cooldownDays} days · min LTV:CAC ${p.policy.minLtvToCac}${p.policy.targetRoas ? " · target ROAS " + p.policy.targetRoas : ""}</dd>
    </dl>
    ${mayRun && html`<div class="actions"><button type="button" id="run">Run a cycle now</button>
      <button type="button" id="dry-run" class="secondary">Dry run</button></div>`}
    <p id="run-result" role="status" aria-live="polite"></p></div>

    <h2>Channels as the rules see them</h2>
    <div class="table-wrap"><table id="facts"><caption class="muted caption-left">Over the window ${perf.window.from} to ${perf.window.to}, in ${p.currency}</caption>
      <thead><tr><th scope="col">Channel</th><th scope="col" class="num">Budget</th><th scope="col" class="num">Spend</th>
      <th scope="col" class="num">Revenue</th><th scope="col" class="num">Conversions</th><th scope="col" class="num">New customers</th>
      <th scope="col" class="num">ROAS</th><th scope="col" class="num">CAC</th><th scope="col" class="num">LTV:CAC</th>
      <th scope="col" class="num">Marginal ROAS</th><th scope="col" class="num">Confidence</th><th scope="col">Value from</th><th scope="col">Held</th></tr></thead><tbody>
    ${perf.channels.map(c => html`<tr data-channel="${c.channel}"><th scope="row">${channelName(chans, c.channel)}</th>
      <td class="num">${f.money(c.dailyBudget)}</td><td class="num">${f.money(c.spend)}</td><td class="num">${f.money(c.revenue)}</td>
      <td class="num">${number(c.conversions, 0)}</td><td class="num">${number(c.newCustomers, 0)}</td>
      <td class="num">${ratio(c.roas)}</td><td class="num">${f.money(c.cac)}</td><td class="num">${ratio(c.ltvToCac)}</td>
      <td class="num">${ratio(c.marginalRoas)}</td><td class="num">${percent(c.marginalRoasConfidence)}</td>
      <td class="value-source" data-source="${c.valueSource || ""}" title="${VALUE_SOURCE_HINTS[c.valueSource] || ""}">${VALUE_SOURCES[c.valueSource] || c.valueSource || "–"}${c.valueSource === "OUTCOMES" && latest.get(c.channel) ? html`<br><span class="muted small">latest row ${latest.get(c.channel)}</span>` : ""}</td>
      <td>${c.held && html`<span class="badge bad">held</span> ${(c.holdReasons || []).join("; ")}`}</td></tr>`)}
    </tbody></table></div>

    <h2 id="history-heading">History</h2>
    <form class="filters card" id="period-form" aria-labelledby="history-heading">
      <label>From <input type="date" name="from" id="period-from" value="${from}" min="${first}" max="${last}" required></label>
      <label>To <input type="date" name="to" id="period-to" value="${to}" min="${first}" max="${last}" required></label>
      <label>Channel <select name="channel" id="period-channel"><option value="">all channels</option>
        ${channelKeys.map(k => html`<option value="${k}" ${k === channel ? "selected" : ""}>${channelLabel(chans, k)}</option>`)}</select></label>
      <button type="submit" id="period-apply">Show</button>
      <span class="presets" role="group" aria-label="Presets">
        ${[["28", "28 days"], ["90", "90 days"], ["all", "All"]].map(([v, label]) => html`<button type="button"
          class="secondary preset" data-preset="${v}" id="preset-${v}" aria-pressed="${preset === v ? "true" : "false"}">${label}</button>`)}
      </span></form>
    <p id="period" class="muted" aria-live="polite">${from} to ${to} (${daysBetween(from, to)} days)${channel ? html`, ${channelLabel(chans, channel)}` : ", all channels"};
      compared with ${prev.from} to ${prev.to}.</p>
    <div class="grid2">
      <div><h3>Spend per day</h3><div class="card"><div class="history-chart" id="spend-chart"></div></div></div>
      <div><h3>Value per day</h3><div class="card"><div class="history-chart" id="value-chart"></div>
        <p class="muted small">Value: new customers × LTV, else revenue.</p></div></div>
    </div>
    <div class="table-wrap"><table id="period-table"><caption class="muted caption-left">The period per channel, in ${p.currency}; change against the previous period.
      From the metric rows as the platforms report them: a channel on the customer feed has its new customers and LTV in the table above, not here</caption>
      <thead><tr><th scope="col">Channel</th><th scope="col" class="num">Spend</th><th scope="col" class="num">Revenue</th>
      <th scope="col" class="num">Conversions</th><th scope="col" class="num">New customers</th><th scope="col" class="num">ROAS</th>
      <th scope="col" class="num">CAC</th><th scope="col" class="num">LTV:CAC</th><th scope="col" class="num">Spend change</th>
      <th scope="col" class="num">Value change</th></tr></thead><tbody>
      ${[...(channel ? [channel] : channelKeys), ""].map(k => {
        const rows = current.filter(m => !k || m.channel === k), old = before.filter(m => !k || m.channel === k);
        const t = totals(rows), o = totals(old);
        return html`<tr data-channel="${k || "total"}" class="${k ? "" : "total"}"><th scope="row">${k ? channelName(chans, k) : "Total"}</th>
          <td class="num">${f.money(t.spend)}</td><td class="num">${f.money(t.revenue)}</td><td class="num">${number(t.conversions, 0)}</td>
          <td class="num">${number(t.newCustomers, 0)}</td><td class="num">${ratio(t.roas)}</td><td class="num">${f.money(t.cac)}</td>
          <td class="num">${ratio(t.ltvToCac)}</td>${changeCell(change(t.spend, o.spend))}${changeCell(change(t.value, o.value))}</tr>`;
      })}</tbody></table></div>

    <h2>ROAS against LTV:CAC</h2>
    <div class="card narrow">${scatter(perf.channels.map(c => ({label: channelLabel(chans, c.channel), x: c.roas, y: c.ltvToCac})),
      "ROAS (revenue / spend)", "LTV:CAC", "ROAS against LTV to CAC per channel",
      {x: p.policy.targetRoas, xName: "target ROAS", y: p.policy.minLtvToCac, yName: "minimum LTV:CAC"})}
      <p class="muted">Dashed lines: the portfolio's minimum LTV:CAC${p.policy.targetRoas ? " and target ROAS" : ""}.</p></div>

    <h2>Channels</h2>
    <div class="table-wrap"><table id="channels"><thead><tr><th scope="col">Channel</th><th scope="col">Platform, kind</th>
      <th scope="col" class="num">Daily budget</th><th scope="col" class="num">Bounds</th><th scope="col">Tags, aliases, target</th>
      <th scope="col">Last change</th>${admin && html`<th scope="col"><span class="sr-only">Actions</span></th>`}</tr></thead><tbody>
      ${[...chans.values()].map(c => html`<tr data-channel="${c.key}"><th scope="row">${c.name} <span class="key">${c.key}</span>
          ${c.locked && html` <span class="badge">locked</span>`}</th>
        <td>${c.platform || "–"}, ${c.kind}</td><td class="num">${f.money(c.dailyBudget)}</td>
        <td class="num">${f.money(c.minDailyBudget)} to ${c.maxDailyBudget == null ? "no maximum" : f.money(c.maxDailyBudget)}</td>
        <td class="wrap">${(c.tags || []).map(t => html`<span class="badge">${t}</span> `)}
          ${(c.aliases || []).length ? html`<br><span class="muted">aliases</span> ${c.aliases.join(", ")}` : ""}
          ${c.target && html`<br><span class="muted">${c.target.connector}</span> account ${c.target.account}, campaigns ${(c.target.campaigns || []).join(", ")}`}</td>
        <td class="date">${c.lastChangedOn || "–"}</td>
        ${admin && html`<td><a href="#/portfolios/${key}/channels/${c.key}" aria-label="Edit ${c.name}">Edit</a></td>`}</tr>`)}
    </tbody></table></div>`);

  // the charts: the selected period against the previous one, day by day
  const days = datesFrom(from, to);
  const series = (rows, pick, a) => {
    const byDay = new Map();
    rows.forEach(m => byDay.set(m.date, (byDay.get(m.date) || 0) + pick(m)));
    return days.map((d, i) => {
      const day = addDays(a, i);
      return byDay.has(day) ? Math.round(byDay.get(day) * 100) / 100 : null;
    });
  };
  const who = channel ? channelLabel(chans, channel) : "all channels";
  comparisonChart(document.getElementById("spend-chart"), {title: `Spend per day, ${who}, ${from} to ${to}, against ${prev.from} to ${prev.to}`,
    dates: days, current: series(current, m => +m.spend || 0, from), previous: series(before, m => +m.spend || 0, prev.from),
    money: f.money, ticks: f.ticks});
  comparisonChart(document.getElementById("value-chart"), {title: `Value per day, ${who}, ${from} to ${to}, against ${prev.from} to ${prev.to}`,
    dates: days, current: series(current, value, from), previous: series(before, value, prev.from),
    money: f.money, ticks: f.ticks});

  const go = q => { location.hash = `#/portfolios/${key}?` + new URLSearchParams(q); };
  document.getElementById("period-form").addEventListener("submit", ev => {
    ev.preventDefault();
    const fd = new FormData(ev.target);
    const q = {from: fd.get("from"), to: fd.get("to")};
    if (fd.get("channel")) { q.channel = fd.get("channel"); }
    go(q);
  });
  document.querySelectorAll("#period-form .preset").forEach(b => b.addEventListener("click", () => {
    const q = {preset: b.dataset.preset};
    if (channel) { q.channel = channel; }
    go(q);
  }));

  const run = dry => async () => {
    const out = document.getElementById("run-result");
    out.textContent = "Running…";
    try {
      const r = await api("POST", `/portfolios/${key}/runs`, {body: {dryRun: dry}});
      const moved = r.plan ? (r.plan.moved != null ? r.plan.moved : (r.plan.shifts || []).reduce((t, x) => t + (+x.amount || 0), 0)) : null;
      render(out, html`Run ${r.id}${dry ? " (dry run)" : ""}: ${badge(r.status)} ${r.recommendationId && html`<a href="#/recommendations/${r.recommendationId}">recommendation ${r.recommendationId}</a>`}
        ${r.reason && html`<span class="run-reason">${r.status === "NO_CHANGE" ? "nothing new proposed: " : ""}${r.reason}</span>`}
        ${r.error || ""} ${dry && r.plan ? html`moves ${f.money(moved)}` : ""}
        ${forecastLine(r.forecast, f)}`);
    } catch (e) {
      out.textContent = "";
      show(explain(e));
    }
  };
  document.getElementById("run")?.addEventListener("click", run(false));
  document.getElementById("dry-run")?.addEventListener("click", run(true));
}
