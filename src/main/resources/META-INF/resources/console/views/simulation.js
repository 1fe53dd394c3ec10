/* A simulation: a generated market run through the active rules in memory; real portfolios are never touched. */
import {html, render} from "../html.js";
import {api, can, explain} from "../api.js";
import {number} from "../format.js";
import {lines} from "../charts.js";

export async function simulationPage(view) {
  const allowed = can("strategist");
  render(view, html`<h1>Simulation</h1>
    <p class="muted">A generated market run through the active rules in memory: real portfolios are never touched.
      Amounts are in the simulated market's own unit.</p>
    ${allowed ? html`<form class="filters card" id="sim-form">
      <label>Seed <input name="seed" type="number" min="0" value="7" required></label>
      <label>Days <input name="days" type="number" min="7" max="365" value="90" required></label>
      <button type="submit" id="simulate">Run simulation</button></form>` : html`<p class="muted">Simulations need the strategist role.</p>`}
    <div id="sim-result" role="status" aria-live="polite"></div>`);
  document.getElementById("sim-form")?.addEventListener("submit", async ev => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    const out = document.getElementById("sim-result");
    render(out, html`<p class="muted">Simulating…</p>`);
    try {
      const s = await api("POST", "/simulations", {body: {seed: +f.get("seed"), days: +f.get("days")}});
      const labels = s.daily.map(d => String(d.day));
      let cum = 0;
      const value = s.daily.map(d => (cum += d.value));
      const perDayStatic = s.staticValue / s.days, perDayOracle = s.oracleValue / s.days;
      render(out, html`<div class="card"><dl class="kv" id="sim-summary">
          <dt>Value, this policy</dt><dd>${number(s.totalValue)}</dd><dt>Value, budgets left static</dt><dd>${number(s.staticValue)}</dd>
          <dt>Value, oracle allocation</dt><dd>${number(s.oracleValue)}</dd>
          <dt>Uplift captured</dt><dd><strong>${(s.upliftCaptured * 100).toFixed(0)}%</strong> of what the oracle gains over static</dd>
          <dt>Budget changes</dt><dd>${s.changes}</dd></dl></div>
        <div class="grid2"><div><h2>Budget per channel over time</h2><div class="card">
          ${lines(s.channels.map(ch => ({name: ch, values: s.daily.map(d => d.budgets[ch])})), labels, "Daily budget per channel over the simulation")}</div></div>
        <div><h2>Value gained over static budgets (cumulative)</h2><div class="card">
          ${lines([{name: "this policy", values: value.map((v, i) => v - perDayStatic * (i + 1)), width: 2.5},
            {name: "static budgets", values: s.daily.map(() => 0), color: "#9aa5b8", dash: "5 4"},
            {name: "oracle (steady state)", values: s.daily.map((d, i) => (perDayOracle - perDayStatic) * (i + 1)), color: "#2e933c", dash: "2 3"}],
            labels, "Cumulative value gained over static budgets, this policy against the oracle", {zero: false})}</div></div></div>`);
    } catch (e) {
      render(out, html`<p class="error">${explain(e)}</p>`);
    }
  });
}
