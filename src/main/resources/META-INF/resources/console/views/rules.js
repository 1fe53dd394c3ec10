/* The rules: the active version, files and rule names, history; strategists validate a candidate and run the scenarios. */
import {html, render} from "../html.js";
import {api, can, explain} from "../api.js";
import {badge, timeFormat} from "../format.js";

const when = timeFormat("UTC");

function numbered(text, errors) {
  const byLine = new Map();
  errors.forEach(e => { if (e.line) { byLine.set(e.line, (byLine.get(e.line) || []).concat(e.message)); } });
  return html`<div class="code"><ol>${text.split("\n").map((l, i) => {
    const msgs = byLine.get(i + 1);
    return msgs ? html`<li class="bad" data-line="${i + 1}">${l || " "}<span class="msg">line ${i + 1}: ${msgs.join("; ")}</span></li>`
      : html`<li>${l || " "}</li>`;
  })}</ol></div>`;
}

export async function rulesPage(view) {
  const [active, versions] = await Promise.all([api("GET", "/rules"), api("GET", "/rules/versions?size=20")]);
  const strategist = can("strategist");
  render(view, html`<h1>Rules</h1>
    <div class="card"><dl class="kv"><dt>Active version</dt><dd><code id="active-version" class="wrap">${active.version}</code></dd>
      <dt>Loaded</dt><dd>${when(active.loadedAt)} by ${active.loadedBy || "–"} (${active.source || "folder"})</dd></dl>
      ${active.lastRejected && html`<p class="error">Last rejected change (${when(active.lastRejected.at)}): ${active.lastRejected.errors.map(e => `${e.file}:${e.line} ${e.message}`).join("; ")}</p>`}
    </div>
    <h2>Files and rules</h2>
    <div class="table-wrap"><table id="rule-files"><thead><tr><th scope="col">File</th><th scope="col">Rules</th></tr></thead><tbody>
      ${active.files.map(f => html`<tr><td><code>${f.path}</code><br><span class="muted">${f.sha256.slice(0, 12)}</span></td>
        <td>${f.rules.map((r, i) => html`${i ? html`<br>` : ""}${r}`)}</td></tr>`)}</tbody></table></div>
    <h2>Version history</h2>
    <div class="table-wrap"><table id="rule-versions"><thead><tr><th scope="col">Version</th><th scope="col">Loaded</th><th scope="col">By</th></tr></thead><tbody>
      ${versions.items.map(v => html`<tr><td><code>${v.version.slice(0, 16)}</code></td><td>${when(v.loadedAt)}</td><td>${v.loadedBy || ""}</td></tr>`)}
    </tbody></table></div>
    ${strategist ? html`<h2>Validate a candidate</h2>
      <div class="card"><label for="candidate">DRL text</label>
        <textarea id="candidate" rows="14" spellcheck="false" placeholder="package candidate;&#10;rule &quot;…&quot; when … then … end"></textarea>
        <div class="actions"><button type="button" id="validate">Validate</button>
          <button type="button" id="scenarios" class="secondary">Run the scenarios against the active rules</button></div>
        <div id="validation" role="status" aria-live="polite"></div></div>
      <div id="scenario-results" aria-live="polite"></div>` : html`<p class="muted">Validating and testing rules needs the strategist role.</p>`}`);
  document.getElementById("validate")?.addEventListener("click", async () => {
    const text = document.getElementById("candidate").value;
    const out = document.getElementById("validation");
    try {
      const v = await api("POST", "/rules/validate", {body: text, contentType: "text/plain"});
      render(out, html`<p class="pos" id="validation-ok">Valid: ${v.rules.length} rule(s): ${v.rules.join(", ")}</p>`);
    } catch (e) {
      if (e.status === 422) {
        const errs = e.problem.errors || [];
        render(out, html`<p class="error" id="validation-errors">${errs.length} error(s): ${errs.map((x, i) =>
          html`${i ? html`<br>` : ""}${x.line > 0 ? "line " + x.line + (x.column ? ", column " + x.column : "") : x.file || "candidate"}: ${x.message}`)}</p>${numbered(text, errs)}`);
      } else {
        render(out, html`<p class="error">${explain(e)}</p>`);
      }
    }
  });
  document.getElementById("scenarios")?.addEventListener("click", async () => {
    const out = document.getElementById("scenario-results");
    render(out, html`<p class="muted">Running scenarios…</p>`);
    try {
      const rep = await api("POST", "/rules/scenarios");
      render(out, html`<h2>Scenarios: ${rep.passed} passed, ${rep.failed} failed</h2>
        <div class="table-wrap"><table id="scenario-table"><thead><tr><th scope="col">Scenario</th><th scope="col">Result</th><th scope="col">Message</th></tr></thead><tbody>
        ${rep.results.map(s => html`<tr><td>${s.scenario}</td><td>${s.passed ? badge("ok") : html`<span class="badge bad">failed</span>`}</td>
          <td>${s.message || ""}</td></tr>`)}</tbody></table></div>`);
    } catch (e) {
      render(out, html`<p class="error">${explain(e)}</p>`);
    }
  });
}
