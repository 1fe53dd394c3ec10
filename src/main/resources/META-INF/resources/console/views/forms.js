/*
 * The workspace forms: create or change a portfolio (name, currency, time zone, mode, schedule, policy with
 * exploration and freeze dates, webhook, notification targets, budget plan) and create or change a channel
 * (name, platform, kind, budget and bounds, lock, tags, aliases, platform target). Through the public API:
 * POST and PATCH (merge-patch, If-Match) for portfolios, PUT for channels. A refused save shows each of the
 * problem's errors next to the field it names; nothing is stored.
 */
import {html, render} from "../html.js";
import {api, can, channels as channelsOf} from "../api.js";
import {clearErrors, flash, showProblem} from "../ui.js";

const KINDS = ["search", "social", "display", "video", "commerce", "affiliate", "email", "other"];
const CONNECTORS = ["google-ads", "meta-ads"];
const NOTIFY_TYPES = ["SLACK", "EMAIL", "WEBHOOK"];
const EVENTS = ["RECOMMENDATION_PROPOSED", "APPLY_FAILED", "RECOMMENDATION_UNDERDELIVERED", "PORTFOLIO_HELD",
  "SOURCE_FAILED", "DROP_REJECTED", "RULES_REJECTED", "CHANNEL_FLAGGED"];
const CURRENCIES = ["EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "JPY", "CAD", "AUD", "NZD", "BRL", "MXN", "INR"];
const zones = () => { try { return Intl.supportedValuesOf("timeZone"); } catch (e) { return ["UTC", "Europe/Paris", "America/New_York"]; } };

const val = v => v == null ? "" : v;
/** A labelled input; field: the API's field name (errors[].field) it answers for. */
const input = (label, name, value, attrs = {}) => html`<label>${label} <input name="${name}" id="f-${name.replace(/[.\[\]]/g, "-")}"
  data-field="${attrs.field || name}" value="${val(value)}" type="${attrs.type || "text"}"
  ${attrs.step && html`step="${attrs.step}"`} ${attrs.min != null && html`min="${attrs.min}"`} ${attrs.max != null && html`max="${attrs.max}"`}
  ${attrs.required && "required"} ${attrs.list && html`list="${attrs.list}"`} ${attrs.placeholder && html`placeholder="${attrs.placeholder}"`}
  ${attrs.autocomplete && html`autocomplete="${attrs.autocomplete}"`} ${attrs.describedby && html`aria-describedby="${attrs.describedby}"`}
  ${attrs.readonly && "readonly"}></label>`;
const checkbox = (label, name, on, field) => html`<label class="check"><input type="checkbox" name="${name}" id="f-${name.replace(/[.\[\]]/g, "-")}"
  data-field="${field || name}" ${on && "checked"}> ${label}</label>`;
const select = (label, name, options, value, field) => html`<label>${label} <select name="${name}" id="f-${name.replace(/[.\[\]]/g, "-")}" data-field="${field || name}">
  ${options.map(o => html`<option value="${o}" ${o === value ? "selected" : ""}>${o}</option>`)}</select></label>`;

const num = v => v === "" || v == null ? null : Number(v);
const text = v => v == null || v.trim() === "" ? null : v.trim();
const list = v => (v || "").split(/[\n,]/).map(s => s.trim()).filter(Boolean);

/**
 * An editable list of rows (freeze dates, flights, notification targets): rowFn(values, i) renders one row,
 * read(rowElement) reads it back. Rows are numbered as the API numbers them (field[i].x).
 */
function rows(container, rowFn, read, initial, blank) {
  let values = initial.slice();
  const draw = () => {
    render(container.querySelector(".rows"), html`${values.map((v, i) => html`<fieldset class="row" data-index="${i}">
      <legend class="sr-only">Row ${i + 1}</legend>${rowFn(v, i)}
      <button type="button" class="secondary remove" data-index="${i}">Remove</button></fieldset>`)}`);
    container.querySelectorAll(".remove").forEach(b => b.addEventListener("click", () => {
      values = collect();
      values.splice(+b.dataset.index, 1);
      container.dataset.dirty = "true";
      draw();
    }));
    container.querySelectorAll("input, select").forEach(i => i.addEventListener("change", () => { container.dataset.dirty = "true"; }));
  };
  const collect = () => [...container.querySelectorAll(".rows > fieldset")].map(read);
  container.querySelector(".add").addEventListener("click", () => {
    values = collect();
    values.push(blank());
    container.dataset.dirty = "true";
    draw();
    const last = container.querySelector(".rows > fieldset:last-child input, .rows > fieldset:last-child select");
    if (last) { last.focus(); }
  });
  draw();
  return collect;
}

const q = (row, name) => row.querySelector(`[data-name="${name}"]`);

export async function portfolioForm(view, key) {
  const p = key ? await api("GET", "/portfolios/" + key) : null;
  const pol = p ? p.policy : {};
  const ex = (p && p.policy.exploration) || {enabled: true, maxPct: 10, maxCostPct: 1};
  const admin = p ? can("admin", p.key) : can("admin"); // a new portfolio needs the global admin role
  render(view, html`<h1>${p ? html`Settings of ${p.name} <span class="muted">${p.key}</span>` : "New portfolio"}</h1>
    ${!admin && html`<p class="error">Changing portfolios needs the admin role.</p>`}
    <form id="portfolio-form" class="card form" novalidate>
      <div class="form-errors" tabindex="-1" role="alert"></div>
      <fieldset><legend>Portfolio</legend><div class="grid-fields">
        ${p ? html`<p><span class="muted">Key</span> <code>${p.key}</code></p>` : input("Key (a slug: a-z, 0-9, - and _)", "key", "", {required: true, placeholder: "acme-us"})}
        ${input("Name", "name", p && p.name, {required: true})}
        ${input("Currency (ISO 4217)", "currency", p ? p.currency : "EUR", {list: "currencies", required: true})}
        ${input("Time zone (IANA)", "timeZone", p ? p.timeZone : Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC", {list: "zones", required: true})}
        ${select("Mode", "mode", ["RECOMMEND", "AUTO_APPLY"], p ? p.mode : "RECOMMEND")}
        ${input("Schedule (Quartz cron; empty: on demand)", "schedule", p && p.schedule, {placeholder: "0 0 6 * * ?"})}
      </div>
      <datalist id="currencies">${CURRENCIES.map(c => html`<option value="${c}">`)}</datalist>
      <datalist id="zones">${zones().map(z => html`<option value="${z}">`)}</datalist></fieldset>

      <fieldset><legend>Policy</legend><div class="grid-fields">
        ${input("Lookback days", "policy.lookbackDays", pol.lookbackDays ?? 28, {type: "number", min: 1})}
        ${input("Max shift % per cycle", "policy.maxShiftPct", pol.maxShiftPct ?? 20, {type: "number", step: "0.01", min: 0})}
        ${input("Min conversions", "policy.minConversions", pol.minConversions ?? 30, {type: "number", min: 0})}
        ${input("Cooldown days", "policy.cooldownDays", pol.cooldownDays ?? 3, {type: "number", min: 0})}
        ${input("Auto-apply max shift %", "policy.autoApplyMaxShiftPct", pol.autoApplyMaxShiftPct ?? 10, {type: "number", step: "0.01", min: 0})}
        ${input("Target ROAS (optional)", "policy.targetRoas", pol.targetRoas, {type: "number", step: "0.01", min: 0})}
        ${input("Contribution margin (0–1, optional)", "policy.contributionMargin", pol.contributionMargin, {type: "number", step: "0.01", min: 0, max: 1})}
        ${input("Min LTV:CAC", "policy.minLtvToCac", pol.minLtvToCac ?? 3, {type: "number", step: "0.01", min: 0})}
        ${input("Max automatic applies per day", "policy.maxAppliesPerDay", pol.maxAppliesPerDay ?? 1, {type: "number", min: 0})}
        ${input("Verify after days", "policy.verifyAfterDays", pol.verifyAfterDays ?? 14, {type: "number", min: 1})}
        ${checkbox("Revert underdelivering plans automatically", "policy.autoRevert", pol.autoRevert)}
      </div>
      <fieldset><legend>Exploration</legend><div class="grid-fields">
        ${checkbox("Explore channels whose response is unknown", "policy.exploration.enabled", ex.enabled)}
        ${input("Max % of a channel's budget", "policy.exploration.maxPct", ex.maxPct, {type: "number", step: "0.01", min: 0})}
        ${input("Max cost, % of daily value", "policy.exploration.maxCostPct", ex.maxCostPct, {type: "number", step: "0.01", min: 0})}
      </div></fieldset>
      <fieldset id="freeze" data-field="policy.freeze"><legend>Freeze dates (nothing applied automatically)</legend>
        <div class="rows"></div><button type="button" class="secondary add" id="add-freeze">Add freeze period</button></fieldset>
      </fieldset>

      <fieldset><legend>Budget plan</legend><div class="grid-fields">
        ${input(`Monthly budget${p ? " (" + p.currency + ")" : ""}, optional`, "plan.monthlyBudget", p && p.plan && p.plan.monthlyBudget, {type: "number", step: "0.01", min: 0})}
      </div>
      <fieldset id="flights" data-field="plan.flights"><legend>Flights</legend>
        <div class="rows"></div><button type="button" class="secondary add" id="add-flight">Add flight</button></fieldset></fieldset>

      <fieldset><legend>Budget webhook</legend>
        <p class="muted" id="webhook-hint">Applied changes are POSTed there, signed with the secret. The secret is write-only:
          ${p && p.webhook && p.webhook.secretSet ? "one is set; leave the field empty to keep it." : "none is set."}</p>
        <div class="grid-fields">
        ${input("URL (empty: none)", "webhook.url", p && p.webhook && p.webhook.url, {type: "url", placeholder: "https://budgets.example.com/hook"})}
        ${input("Secret (16 to 500 characters)", "webhook.secret", "", {type: "password", autocomplete: "new-password", describedby: "webhook-hint"})}
      </div></fieldset>

      <fieldset id="notify" data-field="notify"><legend>Notifications</legend>
        <div class="rows"></div><button type="button" class="secondary add" id="add-notify">Add notification target</button></fieldset>

      <div class="actions"><button type="submit" id="portfolio-save" ${!admin && "disabled"}>${p ? "Save changes" : "Create portfolio"}</button>
        <a href="${p ? "#/portfolios/" + p.key : "#/"}">Cancel</a></div>
    </form>`);

  const form = document.getElementById("portfolio-form");
  const freeze = rows(document.getElementById("freeze"), (v, i) => html`<div class="grid-fields">
      ${input("From", `freeze-from-${i}`, v.from, {type: "date", field: `policy.freeze[${i}].from`})}
      ${input("To", `freeze-to-${i}`, v.to, {type: "date", field: `policy.freeze[${i}].to`})}
      ${input("Reason", `freeze-reason-${i}`, v.reason, {field: `policy.freeze[${i}].reason`})}</div>`,
    row => ({from: row.querySelector("[name^=freeze-from]").value, to: row.querySelector("[name^=freeze-to]").value,
      reason: row.querySelector("[name^=freeze-reason]").value}),
    (pol.freeze || []), () => ({from: "", to: "", reason: ""}));
  const flights = rows(document.getElementById("flights"), (v, i) => html`<div class="grid-fields">
      ${input("From", `flight-from-${i}`, v.from, {type: "date", field: `plan.flights[${i}].from`})}
      ${input("To", `flight-to-${i}`, v.to, {type: "date", field: `plan.flights[${i}].to`})}
      ${input("Budget", `flight-budget-${i}`, v.budget, {type: "number", step: "0.01", min: 0, field: `plan.flights[${i}].budget`})}</div>`,
    row => ({from: row.querySelector("[name^=flight-from]").value, to: row.querySelector("[name^=flight-to]").value,
      budget: row.querySelector("[name^=flight-budget]").value}),
    ((p && p.plan && p.plan.flights) || []), () => ({from: "", to: "", budget: ""}));
  const notify = rows(document.getElementById("notify"), (v, i) => html`<div class="grid-fields">
      ${select("Type", `notify-type-${i}`, NOTIFY_TYPES, v.type, `notify[${i}].type`)}
      ${input("Target (URL or address)", `notify-target-${i}`, v.target, {field: `notify[${i}].target`})}
      ${checkbox("Daily digest", `notify-digest-${i}`, v.digest, `notify[${i}].digest`)}</div>
      <fieldset class="events" data-field="notify[${i}].events"><legend>Events</legend>
      ${EVENTS.map(e => html`<label class="check"><input type="checkbox" name="notify-event-${i}" value="${e}" ${(v.events || []).includes(e) && "checked"}> ${e}</label>`)}</fieldset>`,
    row => ({type: row.querySelector("[name^=notify-type]").value, target: row.querySelector("[name^=notify-target]").value.trim(),
      digest: row.querySelector("[name^=notify-digest]").checked,
      events: [...row.querySelectorAll("[name^=notify-event]:checked")].map(c => c.value)}),
    ((p && p.notify) || []), () => ({type: "EMAIL", target: "", events: ["RECOMMENDATION_PROPOSED"], digest: false}));

  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    clearErrors(form);
    const v = name => form.elements[name] ? form.elements[name].value : "";
    const on = name => form.elements[name].checked;
    const policy = {};
    [["lookbackDays"], ["maxShiftPct"], ["minConversions"], ["cooldownDays"], ["autoApplyMaxShiftPct"], ["minLtvToCac"],
      ["maxAppliesPerDay"], ["verifyAfterDays"]].forEach(([k]) => { const n = num(v("policy." + k)); if (n != null) { policy[k] = n; } });
    // optional targets: empty means none
    policy.targetRoas = num(v("policy.targetRoas"));
    policy.contributionMargin = num(v("policy.contributionMargin"));
    policy.autoRevert = on("policy.autoRevert");
    policy.exploration = {enabled: on("policy.exploration.enabled")};
    if (num(v("policy.exploration.maxPct")) != null) { policy.exploration.maxPct = num(v("policy.exploration.maxPct")); }
    if (num(v("policy.exploration.maxCostPct")) != null) { policy.exploration.maxCostPct = num(v("policy.exploration.maxCostPct")); }
    policy.freeze = freeze().map(x => ({from: x.from || null, to: x.to || null, reason: text(x.reason)}));
    const body = {name: v("name").trim(), currency: v("currency").trim().toUpperCase(), timeZone: v("timeZone").trim(),
      mode: v("mode"), schedule: text(v("schedule")), policy,
      plan: {monthlyBudget: num(v("plan.monthlyBudget")), flights: flights().map(x => ({from: x.from || null, to: x.to || null, budget: num(x.budget)}))}};
    const url = text(v("webhook.url")), secret = v("webhook.secret");
    const urlBefore = p && p.webhook ? p.webhook.url : null;
    if (!p) {
      if (url || secret) { body.webhook = {url, secret: secret || null}; }
    } else if (!url && urlBefore) {
      body.webhook = null;
    } else if (url && (url !== urlBefore || secret)) {
      body.webhook = secret ? {url, secret} : {url};
    }
    if (!p || document.getElementById("notify").dataset.dirty) { body.notify = notify(); }
    try {
      let saved;
      if (p) {
        saved = await api("PATCH", "/portfolios/" + p.key, {body, ifMatch: p.version, contentType: "application/merge-patch+json"});
      } else {
        body.key = v("key").trim();
        saved = await api("POST", "/portfolios", {body});
      }
      flash(p ? `Portfolio ${saved.name}: changes saved.` : `Portfolio ${saved.name} created; add its channels.`, "info");
      location.hash = "#/portfolios/" + saved.key;
    } catch (e) {
      showProblem(form, e);
    }
  });
}

export async function channelForm(view, key, channelKey) {
  const [p, chans] = await Promise.all([api("GET", "/portfolios/" + key), channelsOf(key)]);
  const c = channelKey ? chans.get(channelKey) : null;
  if (channelKey && !c) { throw new Error(`Portfolio ${key} has no channel ${channelKey}`); }
  const t = (c && c.target) || {};
  const admin = can("admin", key);
  render(view, html`<h1>${c ? html`Channel ${c.name} <span class="muted">${c.key}</span>` : "New channel"}
      <span class="muted">in ${p.name}</span></h1>
    ${!admin && html`<p class="error">Changing channels needs the admin role.</p>`}
    <form id="channel-form" class="card form" novalidate>
      <div class="form-errors" tabindex="-1" role="alert"></div>
      <fieldset><legend>Channel</legend><div class="grid-fields">
        ${c ? html`<p><span class="muted">Key</span> <code>${c.key}</code></p>` : input("Key (a slug)", "key", "", {required: true, placeholder: "search-brand", field: "channel"})}
        ${input("Name", "name", c && c.name, {required: true})}
        ${input("Platform", "platform", c && c.platform, {placeholder: "google"})}
        ${select("Kind", "kind", KINDS, c ? c.kind : "search")}
      </div></fieldset>
      <fieldset><legend>Budget (${p.currency} per day)</legend><div class="grid-fields">
        ${input("Daily budget", "dailyBudget", c && c.dailyBudget, {type: "number", step: "0.01", min: 0, required: true})}
        ${input("Minimum", "minDailyBudget", c ? c.minDailyBudget : 0, {type: "number", step: "0.01", min: 0})}
        ${input("Maximum (empty: none)", "maxDailyBudget", c && c.maxDailyBudget, {type: "number", step: "0.01", min: 0})}
        ${checkbox("Locked: plans never change it", "locked", c && c.locked)}
      </div>
      ${c && html`<p class="muted">A changed daily budget is sent to the budget sink like an applied plan.</p>`}</fieldset>
      <fieldset><legend>Matching</legend><div class="grid-fields">
        ${input("Tags (comma separated)", "tags", c && (c.tags || []).join(", "), {placeholder: "brand, prospecting"})}
        <label>Aliases: export campaign names, one a line <textarea name="aliases" id="f-aliases" rows="3" data-field="aliases">${c ? (c.aliases || []).join("\n") : ""}</textarea></label>
      </div></fieldset>
      <fieldset><legend>Platform target (optional)</legend><div class="grid-fields">
        ${select("Connector", "target.connector", [""].concat(CONNECTORS), t.connector || "")}
        ${input("Account id (digits)", "target.account", t.account, {placeholder: "1234567890"})}
        ${input("Campaign ids (comma separated)", "target.campaigns", (t.campaigns || []).join(", "))}
      </div></fieldset>
      <div class="actions"><button type="submit" id="channel-save" ${!admin && "disabled"}>${c ? "Save channel" : "Add channel"}</button>
        <a href="#/portfolios/${key}">Cancel</a></div>
    </form>`);
  const form = document.getElementById("channel-form");
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    clearErrors(form);
    const v = name => form.elements[name].value;
    const body = {name: v("name").trim(), platform: text(v("platform")), kind: v("kind"), dailyBudget: num(v("dailyBudget")),
      minDailyBudget: num(v("minDailyBudget")), maxDailyBudget: num(v("maxDailyBudget")), locked: form.elements.locked.checked,
      tags: list(v("tags")), aliases: v("aliases").split("\n").map(s => s.trim()).filter(Boolean)};
    if (v("target.connector")) {
      body.target = {connector: v("target.connector"), account: v("target.account").trim(), campaigns: list(v("target.campaigns")),
        split: "PROPORTIONAL"};
    } else {
      body.target = null;
    }
    const ch = c ? c.key : v("key").trim();
    if (!c && !/^[a-z0-9][a-z0-9_-]{0,63}$/.test(ch)) {
      showProblem(form, {problem: {}, message: "the key must be a slug"});
      const keyInput = form.elements.key;
      keyInput.setAttribute("aria-invalid", "true");
      keyInput.focus();
      return;
    }
    try {
      const saved = await api("PUT", `/portfolios/${key}/channels/${encodeURIComponent(ch)}`, {body});
      flash(`Channel ${saved.name} ${c ? "saved" : "added"}.`, "info");
      location.hash = "#/portfolios/" + key;
    } catch (e) {
      showProblem(form, e);
    }
  });
}
