/*
 * Spendshift web console. It only uses the public API (/api/v1), with the caller's own credentials, so it can
 * do nothing the API would refuse; it hides the actions the caller's roles do not allow.
 */
"use strict";
(() => {
  const esc = Charts.esc;
  const view = document.getElementById("view");
  const banner = document.getElementById("banner");
  let auth = sessionStorage.getItem("spendshift.auth");
  let me = null;
  /** A message for the next page shown (e.g. after an action that navigates). */
  let flash = null;

  class ApiError extends Error {
    constructor(status, problem) {
      super((problem && (problem.detail || problem.title)) || ("HTTP " + status));
      this.status = status;
      this.problem = problem || {};
    }
  }

  async function api(method, path, opts = {}) {
    const headers = {"Accept": "application/json, application/problem+json"};
    if (auth) { headers.Authorization = auth; }
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
    if (r.status === 401 && path !== "/me") { logout("Your session has ended; log in again."); }
    if (!r.ok) { throw new ApiError(r.status, data); }
    return data;
  }

  const can = role => !!me && me.roles.includes(role);
  const money = v => v == null ? "–" : Number(v).toLocaleString("en", {minimumFractionDigits: 2, maximumFractionDigits: 2});
  const ratio = v => v == null ? "–" : Number(v).toFixed(2);
  const when = v => v ? new Date(v).toISOString().replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, " UTC") : "–";
  const hashParams = () => new URLSearchParams(location.hash.split("?")[1] || "");
  const badge = s => `<span class="badge ${esc(s)}">${esc(s)}</span>`;

  function show(message, kind) {
    banner.textContent = message;
    banner.className = kind || "";
    banner.hidden = !message;
  }

  /** A problem answer as a sentence a person can act on; 409 and 412 say what to do next. */
  function explain(e) {
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

  // ---------------------------------------------------------------------------------------------- session

  function logout(message) {
    auth = null;
    me = null;
    sessionStorage.removeItem("spendshift.auth");
    document.getElementById("nav").hidden = true;
    document.getElementById("who").hidden = true;
    renderLogin(message);
  }

  function renderLogin(message) {
    view.innerHTML = document.getElementById("login-template").innerHTML;
    const form = document.getElementById("login-form");
    document.getElementById("login-error").textContent = message || "";
    document.getElementById("login-user").focus();
    form.addEventListener("submit", async ev => {
      ev.preventDefault();
      const f = new FormData(form);
      const token = (f.get("token") || "").trim();
      auth = token ? "Bearer " + token
        : "Basic " + btoa(unescape(encodeURIComponent(f.get("user") + ":" + (f.get("password") || ""))));
      try {
        await start();
      } catch (e) {
        auth = null;
        document.getElementById("login-error").textContent =
          e instanceof ApiError && e.status === 401 ? "Unknown user or wrong password." : explain(e);
      }
    });
  }

  async function start() {
    me = await api("GET", "/me");
    sessionStorage.setItem("spendshift.auth", auth);
    document.getElementById("nav").hidden = false;
    document.getElementById("who").hidden = false;
    document.getElementById("who-name").textContent = me.user + " (" + me.roles.join(", ") + ")";
    route();
  }

  document.getElementById("logout").addEventListener("click", () => logout("Logged out."));

  // ---------------------------------------------------------------------------------------------- routing

  const routes = [
    [/^#?\/?$/, portfolios],
    [/^#\/portfolios\/([a-z0-9_-]+)$/, performance],
    [/^#\/recommendations$/, recommendations],
    [/^#\/recommendations\/(\d+)$/, recommendation],
    [/^#\/rules$/, rules],
    [/^#\/simulation$/, simulation],
    [/^#\/audit$/, audit],
  ];

  async function route() {
    if (!me) { return; }
    show(flash ? flash.message : "", flash ? flash.kind : undefined);
    flash = null;
    const hash = location.hash || "#/";
    document.querySelectorAll("#nav a").forEach(a => {
      const target = a.getAttribute("href");
      const current = target === "#/" ? hash === "#/" || hash.startsWith("#/portfolios") : hash.startsWith(target);
      if (current) { a.setAttribute("aria-current", "page"); } else { a.removeAttribute("aria-current"); }
    });
    for (const [re, page] of routes) {
      const m = hash.split("?")[0].match(re);
      if (m) {
        view.innerHTML = "<p class='muted'>Loading…</p>";
        try {
          await page(...m.slice(1));
        } catch (e) {
          view.innerHTML = `<h1>Could not load this page</h1><p class="error">${esc(explain(e))}</p>`;
        }
        view.focus();
        return;
      }
    }
    view.innerHTML = "<h1>Not found</h1><p><a href='#/'>Portfolios</a></p>";
  }

  window.addEventListener("hashchange", route);

  // ---------------------------------------------------------------------------------------------- pages

  async function portfolios() {
    const list = await api("GET", "/portfolios?size=500");
    const rows = await Promise.all(list.items.map(async p => {
      const [runs, proposed, approved] = await Promise.all([
        api("GET", `/portfolios/${p.key}/runs?size=1`),
        api("GET", `/recommendations?portfolio=${p.key}&status=PROPOSED&size=1`),
        api("GET", `/recommendations?portfolio=${p.key}&status=APPROVED&size=1`)]);
      return {p, last: runs.items[0], open: proposed.total + approved.total};
    }));
    view.innerHTML = `<h1>Portfolios</h1>
      <table id="portfolios"><caption class="muted caption-left">${list.total} portfolio(s)</caption>
      <thead><tr><th scope="col">Portfolio</th><th scope="col" class="num">Total daily budget</th><th scope="col">Mode</th>
      <th scope="col">Schedule</th><th scope="col">Last run</th><th scope="col" class="num">Open recommendations</th></tr></thead>
      <tbody>${rows.map(({p, last, open}) => `<tr data-portfolio="${esc(p.key)}">
        <td><a href="#/portfolios/${esc(p.key)}">${esc(p.name)}</a><br><span class="muted">${esc(p.key)} · ${p.channels} channels</span></td>
        <td class="num">${money(p.totalDailyBudget)} ${esc(p.currency)}</td>
        <td>${esc(p.mode)}</td>
        <td>${p.schedule ? `<code>${esc(p.schedule)}</code> <span class="muted">${esc(p.timeZone)}</span>` : "<span class='muted'>manual</span>"}</td>
        <td>${last ? `${badge(last.status)} ${when(last.finishedAt || last.startedAt)}` : "<span class='muted'>never</span>"}</td>
        <td class="num">${open ? `<a href="#/recommendations?portfolio=${esc(p.key)}">${open}</a>` : "0"}</td></tr>`).join("")}
      </tbody></table>`;
  }

  /** A filter form navigates to its page with the filled-in fields as query parameters. */
  function filterForm(id, page) {
    document.getElementById(id).addEventListener("submit", ev => {
      ev.preventDefault();
      const f = new URLSearchParams(new FormData(ev.target));
      [...f.keys()].forEach(k => { if (!f.get(k)) { f.delete(k); } });
      location.hash = page + (f.toString() ? "?" + f : "");
    });
  }

  async function recommendations() {
    const params = hashParams();
    const portfolio = params.get("portfolio") || "", status = params.get("status") || "";
    const q = new URLSearchParams({size: "100"});
    if (portfolio) { q.set("portfolio", portfolio); }
    if (status) { q.set("status", status); }
    const page = await api("GET", "/recommendations?" + q);
    view.innerHTML = `<h1>Recommendations</h1>
      <form class="filters" id="rec-filter">
        <label>Portfolio <input name="portfolio" value="${esc(portfolio)}"></label>
        <label>Status <select name="status">${["", "PROPOSED", "APPROVED", "APPLIED", "REJECTED", "SUPERSEDED", "EXPIRED", "FAILED"]
          .map(s => `<option ${s === status ? "selected" : ""} value="${s}">${s || "any"}</option>`).join("")}</select></label>
        <button type="submit">Filter</button></form>
      <table><thead><tr><th scope="col">#</th><th scope="col">Portfolio</th><th scope="col">Status</th><th scope="col">Created</th>
      <th scope="col" class="num">Moved</th><th scope="col">Rule set</th></tr></thead><tbody>
      ${page.items.map(r => `<tr><td><a href="#/recommendations/${r.id}">${r.id}</a></td><td>${esc(r.portfolio)}</td>
        <td>${badge(r.status)}${r.kind === "REVERT" ? ` <span class="badge kind">REVERT</span> <span class="muted">of ${esc(r.revertOf)}</span>` : ""}</td><td>${when(r.createdAt)}</td><td class="num">${money(r.moved)}</td>
        <td><code>${esc((r.ruleSetVersion || "").slice(0, 12))}</code></td></tr>`).join("") || "<tr><td colspan='6' class='muted'>None</td></tr>"}
      </tbody></table><p class="muted">${page.total} in all</p>`;
    filterForm("rec-filter", "#/recommendations");
  }

  // engine bookkeeping (the initial fact, accumulate results) says nothing to a reader
  const readable = f => !(f && typeof f === "object" && (f.type === "InitialFactImpl" || String(f.value || "").startsWith("[L")));

  function factsList(facts) {
    return (facts || []).filter(readable).map(f => {
      if (f === null || typeof f !== "object") { return `<li>${esc(f)}</li>`; }
      const entries = Object.entries(f).filter(([, v]) => v !== null && typeof v !== "object");
      return `<li>${entries.map(([k, v]) => `<span class="muted">${esc(k)}</span> ${esc(typeof v === "number" ? +v.toFixed(4) : v)}`).join(" · ")}</li>`;
    }).join("");
  }

  /** The rule name that exploration shifts carry (API.md "Learning"): such shifts are experiments. */
  const EXPLORATION_RULE = "Explore channels whose response cannot be estimated yet";

  /**
   * Amounts in a currency (Intl.NumberFormat); signed: changes show their sign. An unknown currency code falls
   * back to the number and the code.
   */
  function currencyFormat(currency, signed) {
    try {
      const f = new Intl.NumberFormat("en", {style: "currency", currency: currency || "EUR",
        signDisplay: signed ? "exceptZero" : "auto"});
      return v => v == null || !isFinite(v) ? "–" : f.format(+v);
    } catch (e) {
      return v => v == null || !isFinite(v) ? "–" : (signed && v > 0 ? "+" : "") + money(v) + " " + (currency || "");
    }
  }

  /** Axis ticks: short, e.g. "+€1.2K". */
  function currencyTicks(currency) {
    try {
      const f = new Intl.NumberFormat("en", {style: "currency", currency: currency || "EUR", notation: "compact",
        maximumFractionDigits: 1, signDisplay: "exceptZero"});
      return v => f.format(v);
    } catch (e) {
      return v => String(+v.toFixed(1));
    }
  }

  const pct = level => level == null ? "" : Math.round(level * 100) + "%";

  /** "+€12.35 (80% interval +€2.00 to +€31.00)" */
  function interval(i, level, cur) {
    if (!i) { return "<span class='muted'>–</span>"; }
    return `<strong>${esc(cur(i.expected))}</strong> <span class="muted">(${level != null ? esc(pct(level)) + " interval " : ""}${esc(cur(i.low))} to ${esc(cur(i.high))})</span>`;
  }

  const intervalCells = (i, cur) => i ? `<td class="num">${esc(cur(i.expected))}</td><td class="num">${esc(cur(i.low))}</td><td class="num">${esc(cur(i.high))}</td>`
    : "<td class='num'>–</td><td class='num'>–</td><td class='num'>–</td>";

  /** A forecast in one line, for run results. */
  function forecastLine(f, currency) {
    if (!f) { return ""; }
    const cur = currencyFormat(currency, true);
    if (f.unavailable) { return `<span class="forecast-line">forecast unavailable: ${esc(f.unavailable)}</span>`; }
    return `<span class="forecast-line">forecast ${interval(f.valuePerDay, f.level, cur)} per day</span>`;
  }

  function forecastSection(f, currency) {
    const cur = currencyFormat(currency, true);
    if (!f) { return `<div class="card" id="forecast"><p class="muted">No forecast was recorded for this recommendation.</p></div>`; }
    if (f.unavailable) {
      return `<div class="card" id="forecast"><p id="forecast-unavailable"><span class="badge INCONCLUSIVE">unavailable</span>
        The service could not forecast this plan: ${esc(f.unavailable)}.</p>
        <p class="muted">A plan without a forecast is never applied automatically.</p></div>`;
    }
    const level = pct(f.level);
    const rows = [{label: "portfolio", ...f.valuePerDay}].concat((f.channels || []).map(c => ({label: c.channel, ...c.valuePerDay})));
    return `<div class="card" id="forecast"><dl class="kv">
        <dt>Value per day</dt><dd id="forecast-per-day">${interval(f.valuePerDay, f.level, cur)}</dd>
        <dt>Over ${esc(f.horizonDays)} days</dt><dd id="forecast-horizon">${interval(f.valueOverHorizon, f.level, cur)}</dd>
        ${f.explorationCostPerDay ? `<dt>Exploration cost per day</dt><dd id="forecast-exploration">${interval(f.explorationCostPerDay, f.level, cur)}</dd>` : ""}
      </dl>
      <p class="muted">The change of the portfolio's daily long-term value (new customers × LTV, else revenue) at steady
        state under the proposed budgets, against keeping the current ones; ${esc(level)} of outcomes are expected within the interval.</p>
      ${Charts.intervals(rows, `Forecast change of value per day with its ${level} interval, for the portfolio and per channel`, currencyTicks(currency))}
      ${(f.channels || []).length ? `<div class="table-wrap"><table id="forecast-channels">
        <caption class="muted caption-left">Per channel, value per day (${esc(level)} interval)</caption>
        <thead><tr><th scope="col">Channel</th><th scope="col" class="num">Expected</th><th scope="col" class="num">Low</th>
        <th scope="col" class="num">High</th></tr></thead><tbody>
        ${f.channels.map(c => `<tr data-channel="${esc(c.channel)}"><th scope="row">${esc(c.channel)}</th>${intervalCells(c.valuePerDay, cur)}</tr>`).join("")}
        </tbody></table></div>` : ""}</div>`;
  }

  function experimentsSection(experiments) {
    if (!experiments || !experiments.length) { return ""; }
    return `<h2>Experiments</h2>
      <p class="muted">Small designed budget moves on channels whose response cannot be estimated yet, so that the
        service learns it (the portfolio's exploration policy bounds their size and cost).</p>
      <div class="table-wrap"><table id="experiments"><thead><tr><th scope="col">Channel</th><th scope="col" class="num">Budget change</th>
        <th scope="col">Until</th><th scope="col">Reason</th></tr></thead><tbody>
      ${experiments.map(x => `<tr data-channel="${esc(x.channel)}"><th scope="row">${esc(x.channel)}</th>
        <td class="num ${x.deltaPct > 0 ? "pos" : x.deltaPct < 0 ? "neg" : ""}">${x.deltaPct > 0 ? "+" : ""}${esc(+(+x.deltaPct).toFixed(2))}%</td>
        <td class="date">${esc(x.until || "–")}</td><td>${esc(x.reason || "")}</td></tr>`).join("")}
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

  function verificationSection(v, currency) {
    if (!v) { return ""; }
    const cur = currencyFormat(currency, true);
    if (v.error) { return `<h2>Verification</h2><div class="card" id="verification"><p class="error">${esc(v.error)}</p></div>`; }
    const f = v.forecast && !v.forecast.unavailable ? v.forecast : null;
    const level = f ? pct(f.level) : "";
    const what = {
      PENDING: "Not checked yet.",
      ON_TRACK: "The realized change is in line with the forecast.",
      UNDERDELIVERED: "The realized change fell below the forecast's interval.",
      INCONCLUSIVE: "The data cannot tell whether the plan delivered.",
    }[v.status] || "";
    return `<h2>Verification</h2><div class="card" id="verification">
      <p id="verification-status">${badge(v.status)} ${what}${v.reason ? ` <span id="verification-reason">${esc(v.reason)}.</span>` : ""}</p>
      <dl class="kv">
        ${v.checkedAt || v.afterDays > 0 ? `<dt>After</dt><dd>${esc(v.afterDays)} days of data</dd>` : ""}
        <dt>Method</dt><dd>${v.method ? `<code>${esc(v.method)}</code>` : "<span class='muted'>–</span>"}</dd>
        <dt>Checked</dt><dd>${v.checkedAt ? when(v.checkedAt) : "<span class='muted'>not yet</span>"}</dd>
      </dl>
      ${v.realized && f ? Charts.intervals([{label: "forecast", kind: "forecast", ...f.valuePerDay}, {label: "realized", kind: "realized", ...v.realized}],
        "Realized change of value per day against the forecast, with their intervals", currencyTicks(currency)) : ""}
      <div class="table-wrap"><table id="verification-table">
        <caption class="muted caption-left">Change of value per day${level ? ` (${esc(level)} intervals)` : ""}</caption>
        <thead><tr><th scope="col"></th><th scope="col" class="num">Expected</th><th scope="col" class="num">Low</th>
        <th scope="col" class="num">High</th></tr></thead><tbody>
        <tr data-row="forecast"><th scope="row">Forecast</th>${f ? intervalCells(f.valuePerDay, cur)
          : `<td colspan="3" class="muted">${v.forecast && v.forecast.unavailable ? "unavailable: " + esc(v.forecast.unavailable) : "none"}</td>`}</tr>
        <tr data-row="realized"><th scope="row">Realized</th>${v.realized ? intervalCells(v.realized, cur)
          : `<td colspan="3" class="muted">not measured yet</td>`}</tr>
      </tbody></table></div></div>`;
  }

  async function recommendation(id) {
    const r = await api("GET", "/recommendations/" + id);
    const [portfolio, verification] = await Promise.all([
      api("GET", "/portfolios/" + encodeURIComponent(r.portfolio)).catch(() => null), verificationOf(r)]);
    const currency = portfolio && portfolio.currency;
    const open = r.status === "PROPOSED", approved = r.status === "APPROVED";
    const mayDecide = can("approver");
    const buttons = [];
    if (mayDecide && open) {
      buttons.push(`<button type="button" id="approve">Approve</button>`);
      buttons.push(`<button type="button" id="reject" class="danger">Reject</button>`);
    }
    if (mayDecide && (approved || r.status === "FAILED")) {
      buttons.push(`<button type="button" id="apply">${approved ? "Apply" : "Apply again"}</button>`);
    }
    if (mayDecide && r.status === "APPLIED") {
      buttons.push(`<button type="button" id="revert" class="secondary" aria-describedby="revert-hint">Revert</button>`);
    }
    const experiments = r.experiments || [];
    const isRevert = r.kind === "REVERT";
    view.innerHTML = `<h1>Recommendation ${r.id} ${badge(r.status)}${isRevert ? ` <span class="badge kind">REVERT</span>` : ""}</h1>
      <div class="card"><dl class="kv">
        <dt>Portfolio</dt><dd><a href="#/portfolios/${esc(r.portfolio)}">${esc(r.portfolio)}</a></dd>
        ${isRevert ? `<dt>Kind</dt><dd id="revert-of">Revert: restores the budgets before
          ${r.revertOf != null ? `<a href="#/recommendations/${esc(r.revertOf)}">recommendation ${esc(r.revertOf)}</a>` : "an applied plan"}</dd>` : ""}
        <dt>For</dt><dd>${esc(r.asOf)} (${r.runId != null ? `run ${esc(r.runId)}, ` : ""}created ${when(r.createdAt)})</dd>
        <dt>Moves</dt><dd>${money(r.moved)} of ${money(r.totalBudget)} daily budget${currency ? " " + esc(currency) : ""}</dd>
        <dt>Rule set</dt><dd><code class="wrap">${esc(r.ruleSetVersion)}</code></dd>
        ${r.decidedBy ? `<dt>Decided</dt><dd>${esc(r.decidedBy)}, ${when(r.decidedAt)}${r.comment ? ` — “${esc(r.comment)}”` : ""}</dd>` : ""}
        ${r.appliedAt ? `<dt>Applied</dt><dd>${when(r.appliedAt)}</dd>` : ""}
        ${r.autoApplyWithheld ? `<dt>Automatic apply</dt><dd id="auto-apply-withheld">withheld: ${esc(r.autoApplyWithheld)}</dd>` : ""}
        ${r.failureReason ? `<dt>Failure</dt><dd class="error">${esc(r.failureReason)}</dd>` : ""}
      </dl>
      ${buttons.length ? `<div class="actions" id="decision">
        <label>Comment <input id="comment" size="40" maxlength="2000"></label>${buttons.join("")}</div>` : ""}
      ${mayDecide && r.status === "APPLIED" ? `<p class="muted" id="revert-hint">Revert proposes a new recommendation that
        restores the budgets this plan changed; it is reviewed and applied like any other.</p>` : ""}
      <p id="decision-result" role="status"></p></div>
      <h2>Forecast</h2>
      ${forecastSection(r.forecast, currency)}
      ${verificationSection(verification, currency)}
      <h2>Allocation per channel</h2>
      <div class="card" id="allocation-chart">${Charts.beforeAfter(r.allocations.map(a => ({label: a.channel,
        before: +a.currentBudget, after: +a.proposedBudget})), "Current and proposed daily budget per channel")}</div>
      <div class="table-wrap"><table id="allocations"><thead><tr><th scope="col">Channel</th><th scope="col" class="num">Current</th>
        <th scope="col" class="num">Proposed</th><th scope="col" class="num">Change</th></tr></thead><tbody>
      ${r.allocations.map(a => `<tr data-channel="${esc(a.channel)}"><td>${esc(a.channel)}</td><td class="num">${money(a.currentBudget)}</td>
        <td class="num">${money(a.proposedBudget)}</td><td class="num ${a.delta > 0 ? "pos" : a.delta < 0 ? "neg" : ""}">${a.delta > 0 ? "+" : ""}${money(a.delta)}</td></tr>`).join("")}
      </tbody></table></div>
      ${experimentsSection(experiments)}
      <h2>Shifts</h2>
      <div class="table-wrap"><table id="shifts"><thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col" class="num">Amount</th>
        <th scope="col">Rule</th><th scope="col">Reason</th></tr></thead><tbody>
      ${r.shifts.map(s => {
        const experiment = s.rule === EXPLORATION_RULE;
        return `<tr${experiment ? ` class="experiment" data-experiment="true"` : ""}><td>${esc(s.from)}</td><td>${esc(s.to)}</td><td class="num">${money(s.amount)}</td>
        <td>${experiment ? `<span class="badge experiment">experiment</span> ` : ""}${esc(s.rule)}</td><td>${esc(s.reason)}</td></tr>`;
      }).join("") || "<tr><td colspan='5' class='muted'>No shifts</td></tr>"}
      </tbody></table></div>
      <h2>Why: the facts each rule matched</h2>
      <div id="explanation">${(r.explanation || []).map(e => `<div class="card"><strong>${esc(e.rule)}</strong>
        <ul>${factsList(e.facts)}</ul></div>`).join("") || "<p class='muted'>No explanation recorded.</p>"}</div>`;

    const buttonsEnabled = on => document.querySelectorAll("#decision button").forEach(b => { b.disabled = !on; });
    const act = (verb, body) => async () => {
      const result = document.getElementById("decision-result");
      buttonsEnabled(false);
      try {
        await api("POST", `/recommendations/${r.id}/${verb}`, {body, ifMatch: r.version});
        await recommendation(id);
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
        flash = {message: `Recommendation ${created.id} proposes to revert recommendation ${r.id}: review and apply it.`, kind: "info"};
        location.hash = "#/recommendations/" + created.id;
      } catch (e) {
        result.textContent = "";
        show(explain(e));
        buttonsEnabled(true);
      }
    });
  }

  async function allPages(path, max = 20) {
    const out = [];
    for (let page = 0; page < max; page++) {
      const p = await api("GET", `${path}${path.includes("?") ? "&" : "?"}page=${page}&size=500`);
      out.push(...p.items);
      if (out.length >= p.total || p.items.length === 0) { break; }
    }
    return out;
  }

  /** What a dry run's plan moves: the sum of its shifts (the plan carries no total of its own). */
  const planMoved = plan => plan.moved != null ? plan.moved : (plan.shifts || []).reduce((t, x) => t + (+x.amount || 0), 0);

  async function performance(key) {
    const [p, perf] = await Promise.all([api("GET", "/portfolios/" + key), api("GET", `/portfolios/${key}/performance`)]);
    const from = perf.window.from;
    const metrics = await allPages(`/portfolios/${key}/metrics?from=${from}`);
    const days = [...new Set(metrics.map(m => m.date))].sort();
    const channels = perf.channels.map(c => c.channel);
    const series = (pick) => channels.map(ch => {
      const byDay = new Map(metrics.filter(m => m.channel === ch).map(m => [m.date, pick(m)]));
      return {name: ch, values: days.map(d => byDay.has(d) ? byDay.get(d) : null)};
    });
    const value = m => m.ltv != null ? m.newCustomers * m.ltv : m.revenue;
    const mayRun = can("strategist") || can("approver");
    view.innerHTML = `<h1>${esc(p.name)} <span class="muted">${esc(p.key)}</span></h1>
      <div class="card"><dl class="kv">
        <dt>Mode</dt><dd>${esc(p.mode)}${p.schedule ? `, on <code>${esc(p.schedule)}</code> (${esc(p.timeZone)})` : ", runs on demand"}</dd>
        <dt>Total daily budget</dt><dd>${money(p.totalDailyBudget)} ${esc(p.currency)}</dd>
        <dt>Window</dt><dd>${esc(perf.window.from)} to ${esc(perf.window.to)} (facts as of ${esc(perf.asOf)})</dd>
        <dt>Guardrails</dt><dd>max shift ${p.policy.maxShiftPct}% · min ${p.policy.minConversions} conversions ·
          cooldown ${p.policy.cooldownDays} days · min LTV:CAC ${p.policy.minLtvToCac}${p.policy.targetRoas ? " · target ROAS " + p.policy.targetRoas : ""}</dd>
      </dl>
      ${mayRun ? `<div class="actions"><button type="button" id="run">Run a cycle now</button>
        <button type="button" id="dry-run" class="secondary">Dry run</button></div><p id="run-result" role="status"></p>` : ""}</div>
      <h2>Channels as the rules see them</h2>
      <table id="facts"><thead><tr><th scope="col">Channel</th><th scope="col" class="num">Budget</th><th scope="col" class="num">Spend</th>
        <th scope="col" class="num">ROAS</th><th scope="col" class="num">LTV:CAC</th><th scope="col" class="num">Marginal ROAS</th>
        <th scope="col" class="num">Confidence</th><th scope="col">Held</th></tr></thead><tbody>
      ${perf.channels.map(c => `<tr data-channel="${esc(c.channel)}"><td>${esc(c.channel)}</td><td class="num">${money(c.dailyBudget)}</td>
        <td class="num">${money(c.spend)}</td><td class="num">${ratio(c.roas)}</td><td class="num">${ratio(c.ltvToCac)}</td>
        <td class="num">${ratio(c.marginalRoas)}</td><td class="num">${c.marginalRoasConfidence == null ? "–" : (c.marginalRoasConfidence * 100).toFixed(0) + "%"}</td>
        <td>${c.held ? `<span class="badge bad">held</span> ${esc((c.holdReasons || []).join("; "))}` : ""}</td></tr>`).join("")}
      </tbody></table>
      <div class="grid2">
        <div><h2>Spend per day</h2><div class="card">${Charts.lines(series(m => +m.spend), days.map(d => d.slice(5)), "Spend per day per channel")}</div></div>
        <div><h2>Value per day</h2><div class="card">${Charts.lines(series(m => +value(m)), days.map(d => d.slice(5)), "Value per day per channel (new customers × LTV, else revenue)")}</div></div>
      </div>
      <h2>ROAS against LTV:CAC</h2>
      <div class="card narrow">${Charts.scatter(perf.channels.map(c => ({label: c.channel, x: c.roas, y: c.ltvToCac})),
        "ROAS (revenue / spend)", "LTV:CAC", "ROAS against LTV to CAC per channel",
        {x: p.policy.targetRoas, xName: "target ROAS", y: p.policy.minLtvToCac, yName: "minimum LTV:CAC"})}
        <p class="muted">Dashed lines: the portfolio's minimum LTV:CAC${p.policy.targetRoas ? " and target ROAS" : ""}.</p></div>`;
    const run = dry => async () => {
      const out = document.getElementById("run-result");
      out.textContent = "Running…";
      try {
        const r = await api("POST", `/portfolios/${key}/runs`, {body: {dryRun: dry}});
        out.innerHTML = `Run ${esc(r.id)}${dry ? " (dry run)" : ""}: ${badge(r.status)} ${r.recommendationId ? `<a href="#/recommendations/${esc(r.recommendationId)}">recommendation ${esc(r.recommendationId)}</a>` : ""}
          ${r.reason ? `<span class="run-reason">${r.status === "NO_CHANGE" ? "nothing new proposed: " : ""}${esc(r.reason)}</span>` : ""}
          ${r.error ? esc(r.error) : ""} ${dry && r.plan ? `moves ${money(planMoved(r.plan))} ${esc(p.currency)}` : ""}
          ${forecastLine(r.forecast, p.currency)}`;
      } catch (e) {
        out.textContent = "";
        show(explain(e));
      }
    };
    document.getElementById("run")?.addEventListener("click", run(false));
    document.getElementById("dry-run")?.addEventListener("click", run(true));
  }

  function numbered(text, errors) {
    const byLine = new Map();
    errors.forEach(e => { if (e.line) { byLine.set(e.line, (byLine.get(e.line) || []).concat(e.message)); } });
    return `<div class="code"><ol>${text.split("\n").map((l, i) => {
      const msgs = byLine.get(i + 1);
      return `<li${msgs ? ` class="bad" data-line="${i + 1}"` : ""}>${esc(l) || " "}${msgs ? `<span class="msg">line ${i + 1}: ${esc(msgs.join("; "))}</span>` : ""}</li>`;
    }).join("")}</ol></div>`;
  }

  async function rules() {
    const [active, versions] = await Promise.all([api("GET", "/rules"), api("GET", "/rules/versions?size=20")]);
    const strategist = can("strategist");
    view.innerHTML = `<h1>Rules</h1>
      <div class="card"><dl class="kv"><dt>Active version</dt><dd><code id="active-version">${esc(active.version)}</code></dd>
        <dt>Loaded</dt><dd>${when(active.loadedAt)} by ${esc(active.loadedBy || "–")} (${esc(active.source || "folder")})</dd></dl>
        ${active.lastRejected ? `<p class="error">Last rejected change (${when(active.lastRejected.at)}): ${esc(active.lastRejected.errors.map(e => `${e.file}:${e.line} ${e.message}`).join("; "))}</p>` : ""}
      </div>
      <h2>Files and rules</h2>
      <table id="rule-files"><thead><tr><th scope="col">File</th><th scope="col">Rules</th></tr></thead><tbody>
        ${active.files.map(f => `<tr><td><code>${esc(f.path)}</code><br><span class="muted">${esc(f.sha256.slice(0, 12))}</span></td>
          <td>${f.rules.map(esc).join("<br>")}</td></tr>`).join("")}</tbody></table>
      <h2>Version history</h2>
      <table id="rule-versions"><thead><tr><th scope="col">Version</th><th scope="col">Loaded</th><th scope="col">By</th></tr></thead><tbody>
        ${versions.items.map(v => `<tr><td><code>${esc(v.version.slice(0, 16))}</code></td><td>${when(v.loadedAt)}</td><td>${esc(v.loadedBy || "")}</td></tr>`).join("")}
      </tbody></table>
      ${strategist ? `<h2>Validate a candidate</h2>
        <div class="card"><label for="candidate">DRL text</label>
          <textarea id="candidate" rows="14" spellcheck="false" placeholder="package candidate;&#10;rule &quot;…&quot; when … then … end"></textarea>
          <div class="actions"><button type="button" id="validate">Validate</button>
            <button type="button" id="scenarios" class="secondary">Run the scenarios against the active rules</button></div>
          <div id="validation" role="status"></div></div>
        <div id="scenario-results"></div>` : `<p class="muted">Validating and testing rules needs the strategist role.</p>`}`;
    document.getElementById("validate")?.addEventListener("click", async () => {
      const text = document.getElementById("candidate").value;
      const out = document.getElementById("validation");
      try {
        const v = await api("POST", "/rules/validate", {body: text, contentType: "text/plain"});
        out.innerHTML = `<p class="pos" id="validation-ok">Valid: ${v.rules.length} rule(s): ${v.rules.map(esc).join(", ")}</p>`;
      } catch (e) {
        if (e.status === 422) {
          const errs = e.problem.errors || [];
          out.innerHTML = `<p class="error" id="validation-errors">${errs.length} error(s): ${errs.map(x =>
            `${x.line > 0 ? "line " + x.line + (x.column ? ", column " + x.column : "") : esc(x.file || "candidate")}: ${esc(x.message)}`).join("<br>")}</p>${numbered(text, errs)}`;
        } else {
          out.innerHTML = `<p class="error">${esc(explain(e))}</p>`;
        }
      }
    });
    document.getElementById("scenarios")?.addEventListener("click", async () => {
      const out = document.getElementById("scenario-results");
      out.innerHTML = "<p class='muted'>Running scenarios…</p>";
      try {
        const rep = await api("POST", "/rules/scenarios");
        out.innerHTML = `<h2>Scenarios: ${rep.passed} passed, ${rep.failed} failed</h2>
          <table id="scenario-table"><thead><tr><th scope="col">Scenario</th><th scope="col">Result</th><th scope="col">Message</th></tr></thead><tbody>
          ${rep.results.map(s => `<tr><td>${esc(s.scenario)}</td><td>${s.passed ? badge("ok") : `<span class="badge bad">failed</span>`}</td>
            <td>${esc(s.message || "")}</td></tr>`).join("")}</tbody></table>`;
      } catch (e) {
        out.innerHTML = `<p class="error">${esc(explain(e))}</p>`;
      }
    });
  }

  async function simulation() {
    const allowed = can("strategist");
    view.innerHTML = `<h1>Simulation</h1>
      <p class="muted">A generated market run through the active rules in memory: real portfolios are never touched.</p>
      ${allowed ? `<form class="filters card" id="sim-form">
        <label>Seed <input name="seed" type="number" min="0" value="7" required></label>
        <label>Days <input name="days" type="number" min="7" max="365" value="90" required></label>
        <button type="submit" id="simulate">Run simulation</button></form>` : `<p class="muted">Simulations need the strategist role.</p>`}
      <div id="sim-result" role="status"></div>`;
    document.getElementById("sim-form")?.addEventListener("submit", async ev => {
      ev.preventDefault();
      const f = new FormData(ev.target);
      const out = document.getElementById("sim-result");
      out.innerHTML = "<p class='muted'>Simulating…</p>";
      try {
        const s = await api("POST", "/simulations", {body: {seed: +f.get("seed"), days: +f.get("days")}});
        const labels = s.daily.map(d => String(d.day));
        let cum = 0;
        const value = s.daily.map(d => (cum += d.value));
        const perDayStatic = s.staticValue / s.days, perDayOracle = s.oracleValue / s.days;
        out.innerHTML = `<div class="card"><dl class="kv" id="sim-summary">
            <dt>Value, this policy</dt><dd>${money(s.totalValue)}</dd><dt>Value, budgets left static</dt><dd>${money(s.staticValue)}</dd>
            <dt>Value, oracle allocation</dt><dd>${money(s.oracleValue)}</dd>
            <dt>Uplift captured</dt><dd><strong>${(s.upliftCaptured * 100).toFixed(0)}%</strong> of what the oracle gains over static</dd>
            <dt>Budget changes</dt><dd>${s.changes}</dd></dl></div>
          <div class="grid2"><div><h2>Budget per channel over time</h2><div class="card">
            ${Charts.lines(s.channels.map(ch => ({name: ch, values: s.daily.map(d => d.budgets[ch])})), labels, "Daily budget per channel over the simulation")}</div></div>
          <div><h2>Value gained over static budgets (cumulative)</h2><div class="card">
            ${Charts.lines([{name: "this policy", values: value.map((v, i) => v - perDayStatic * (i + 1)), width: 2.5},
              {name: "static budgets", values: s.daily.map(() => 0), color: "#9aa5b8", dash: "5 4"},
              {name: "oracle (steady state)", values: s.daily.map((d, i) => (perDayOracle - perDayStatic) * (i + 1)), color: "#2e933c", dash: "2 3"}],
              labels, "Cumulative value gained over static budgets, this policy against the oracle", {zero: false})}</div></div></div>`;
      } catch (e) {
        out.innerHTML = `<p class="error">${esc(explain(e))}</p>`;
      }
    });
  }

  async function audit() {
    const params = hashParams();
    const q = new URLSearchParams({order: "desc", size: "100", page: params.get("page") || "0"});
    ["portfolio", "action", "entityType", "entityId", "from", "to"].forEach(k => { if (params.get(k)) { q.set(k, params.get(k)); } });
    const [page, verify] = await Promise.all([api("GET", "/audit?" + q), api("GET", "/audit/verify")]);
    const pageNo = +q.get("page");
    const nav = n => { const p = new URLSearchParams(params); p.set("page", n); return "#/audit?" + p; };
    view.innerHTML = `<h1>Audit trail</h1>
      <p id="chain" class="${verify.valid ? "pos" : "error"}">${verify.valid
        ? `Hash chain verified: ${verify.entries} entries, none altered.`
        : `Hash chain BROKEN at entry ${verify.firstBrokenSeq}: the log was altered.`}</p>
      <form class="filters" id="audit-filter">
        <label>Portfolio <input name="portfolio" value="${esc(params.get("portfolio") || "")}" size="12"></label>
        <label>Action <input name="action" value="${esc(params.get("action") || "")}" size="22" placeholder="e.g. RECOMMENDATION_APPLIED"></label>
        <label>Entity <input name="entityType" value="${esc(params.get("entityType") || "")}" size="12"></label>
        <label>From <input name="from" value="${esc(params.get("from") || "")}" placeholder="2026-01-01" size="12"></label>
        <label>To <input name="to" value="${esc(params.get("to") || "")}" placeholder="2026-12-31" size="12"></label>
        <button type="submit">Filter</button></form>
      <table id="audit"><thead><tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th>
        <th scope="col">Entity</th><th scope="col">Portfolio</th><th scope="col">Details</th></tr></thead><tbody>
      ${page.items.map(a => `<tr><td>${a.seq}</td><td>${when(a.at)}</td><td>${esc(a.actor)}</td><td>${esc(a.action)}</td>
        <td>${esc(a.entityType)} ${esc(a.entityId || "")}</td><td>${esc(a.portfolio || "")}</td>
        <td><code class="small">${esc(JSON.stringify(a.details)).slice(0, 240)}</code></td></tr>`).join("") || "<tr><td colspan='7' class='muted'>No entries</td></tr>"}
      </tbody></table>
      <p class="actions">${pageNo > 0 ? `<a href="${nav(pageNo - 1)}">Newer</a>` : ""}
        <span class="muted">${page.total} entries</span>
        ${(pageNo + 1) * 100 < page.total ? `<a href="${nav(pageNo + 1)}">Older</a>` : ""}</p>`;
    filterForm("audit-filter", "#/audit");
  }

  // ---------------------------------------------------------------------------------------------- boot

  if (auth) {
    start().catch(() => logout());
  } else {
    renderLogin();
  }
})();
