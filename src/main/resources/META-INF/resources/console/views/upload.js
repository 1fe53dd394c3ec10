/*
 * Upload a metrics CSV, or the team's customer value (the outcomes feed, POST …/outcomes, previewed with its
 * dryRun=true): a preview first (the detected format and column mapping, the first rows, every
 * validation error and warning, campaigns no channel claims), nothing stored; then the import, all-or-nothing.
 * The preview is the service's dry run (POST …/metrics?format=…&dryRun=true) where the service offers it (its
 * OpenAPI document lists the dryRun parameter); otherwise the console reads the first rows itself and the
 * import's own 400 answer names every bad row.
 */
import {html, render} from "../html.js";
import {api, ApiError, can, channels as channelsOf, explain} from "../api.js";
import {channelName, formatsOf} from "../format.js";
import {show} from "../ui.js";

/** The format value that sends the file to the outcomes feed instead of the metrics. */
export const OUTCOMES = "outcomes";
const FORMATS = [["spendshift", "Spendshift (channel, date, spend, …)"], ["google-ads", "Google Ads report"],
  ["meta-ads", "Meta Ads report"], ["microsoft-ads", "Microsoft Advertising report"], ["tiktok-ads", "TikTok Ads report"],
  [OUTCOMES, "Customer value (outcomes)"]];
const FIELDS = ["channel", "date", "spend", "impressions", "clicks", "conversions", "revenue", "newCustomers", "ltv"];
const REQUIRED = ["channel", "date", "spend"];
const PREVIEW_ROWS = 10;

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF; a UTF-8 BOM dropped. */
export function parseCsv(text) {
  const out = [];
  let row = [], field = "", quoted = false;
  const s = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') { quoted = false; } else { field += ch; }
    } else if (ch === '"') { quoted = true; }
    else if (ch === ",") { row.push(field); field = ""; }
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && s[i + 1] === "\n") { i++; }
      row.push(field); field = "";
      if (row.some(v => v !== "")) { out.push(row); }
      row = [];
    } else { field += ch; }
  }
  row.push(field);
  if (row.some(v => v !== "")) { out.push(row); }
  return out;
}

/** Whether the service previews uploads: its OpenAPI document names the dryRun parameter of the metrics upload. */
let dryRunSupport = null;
async function serviceDryRun() {
  if (dryRunSupport === null) {
    dryRunSupport = fetch("/q/openapi?format=json", {credentials: "omit"}).then(r => r.ok ? r.json() : null).then(doc => {
      const op = doc && doc.paths && doc.paths["/api/v1/portfolios/{key}/metrics"] && doc.paths["/api/v1/portfolios/{key}/metrics"].post;
      return !!(op && (op.parameters || []).some(p => p.name === "dryRun"));
    }).catch(() => false);
  }
  return dryRunSupport;
}

/**
 * The console's own reading of a Spendshift-format file, for display: header mapping, first rows, and the
 * errors it can see (missing columns, unknown channels, dates, numbers). The service checks again on import.
 */
function localPreview(text, chans) {
  const rows = parseCsv(text);
  if (!rows.length) { return {format: "spendshift", detected: false, rows: 0, preview: [], errors: [{line: 1, field: "", message: "the file is empty"}], local: true}; }
  const header = rows[0].map(h => h.trim());
  const columns = {};
  FIELDS.forEach(f => { const i = header.findIndex(h => h.toLowerCase() === f.toLowerCase()); if (i >= 0) { columns[f] = header[i]; } });
  const errors = [];
  REQUIRED.filter(f => !columns[f]).forEach(f => errors.push({line: 1, field: f, message: `no "${f}" column: is this a Spendshift-format file? Pick the platform's format instead`}));
  const aliases = new Map();
  chans.forEach(c => (c.aliases || []).forEach(a => aliases.set(a, c.key)));
  const data = rows.slice(1).map((r, i) => {
    const o = {};
    header.forEach((h, j) => { const f = FIELDS.find(x => columns[x] === h); if (f) { o[f] = (r[j] || "").trim(); } });
    const line = i + 2;
    if (o.channel != null && !chans.has(o.channel) && !aliases.has(o.channel)) { errors.push({line, field: "channel", message: `unknown channel ${o.channel}`}); }
    if (o.date != null && !/^\d{4}-\d{2}-\d{2}$/.test(o.date)) { errors.push({line, field: "date", message: "must be an ISO date such as 2026-03-01"}); }
    ["spend", "impressions", "clicks", "conversions", "revenue", "newCustomers", "ltv"].forEach(f => {
      if (o[f] != null && o[f] !== "" && !(isFinite(o[f]) && +o[f] >= 0)) { errors.push({line, field: f, message: "must be a number of at least 0"}); }
    });
    return o;
  });
  const channels = [...new Set(data.map(d => d.channel).filter(Boolean))];
  const dates = data.map(d => d.date).filter(Boolean).sort();
  return {format: "spendshift", detected: REQUIRED.every(f => columns[f]), mapping: {columns}, decimal: ".", dateFormat: "yyyy-MM-dd",
    rows: data.length, channels, preview: data.slice(0, PREVIEW_ROWS), errors, warnings: [], unmapped: [], local: true,
    from: dates[0], to: dates[dates.length - 1]};
}

export async function uploadPage(view, key) {
  const [p, chans] = await Promise.all([api("GET", "/portfolios/" + key), channelsOf(key)]);
  const f = formatsOf(p);
  const allowed = can("ingest", key); // the API's role for metrics (an admin holds it too), here or globally
  render(view, html`<h1>Upload metrics or customer value <span class="muted">to ${p.name}</span></h1>
    ${!allowed && html`<p class="error">Uploading needs the ingest role.</p>`}
    <form id="upload-form" class="card form" novalidate>
      <p class="muted">A CSV of daily performance per channel: the Spendshift format (a header row of
        <code>channel, date, spend, impressions, clicks, conversions, revenue, newCustomers, ltv</code>) or a platform's own
        report export. Or the team's own customer value from its CRM or warehouse, format "Customer value (outcomes)": a header row of
        <code>channel</code> (or <code>campaign</code>), <code>date</code> (the day the customers were acquired), <code>newCustomers</code>
        and <code>ltv</code> (per new customer) or <code>value</code> (the cohort's total); a day posted again replaces it.
        You see a preview first; nothing is stored until you import, and an import with any bad row stores nothing.</p>
      <div class="grid-fields">
        <label>File <input type="file" id="upload-file" accept=".csv,text/csv"></label>
        <label>Format <select id="upload-format" name="format">${FORMATS.map(([v, label]) => html`<option value="${v}">${label}</option>`)}</select></label>
      </div>
      <label>Or paste the CSV <textarea id="upload-text" rows="6" spellcheck="false"></textarea></label>
      <div class="actions"><button type="submit" id="upload-preview" ${!allowed && "disabled"}>Preview</button>
        <button type="button" id="upload-import" disabled>Import</button>
        <a href="#/portfolios/${key}">Back to ${p.name}</a></div>
    </form>
    <div id="upload-result" aria-live="polite" tabindex="-1"></div>`);
  const form = document.getElementById("upload-form");
  const out = document.getElementById("upload-result");
  const importButton = document.getElementById("upload-import");
  let text = "";
  const readFile = async () => {
    const file = document.getElementById("upload-file").files[0];
    return file ? await file.text() : document.getElementById("upload-text").value;
  };
  form.addEventListener("change", () => { importButton.disabled = true; });
  form.addEventListener("input", () => { importButton.disabled = true; });

  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    show("");
    text = await readFile();
    const format = document.getElementById("upload-format").value;
    if (!text.trim()) { render(out, html`<p class="error" id="upload-empty">Choose a file or paste its content first.</p>`); return; }
    render(out, html`<p class="muted">Checking…</p>`);
    if (format === OUTCOMES) {
      let a;
      try {
        a = await api("POST", `/portfolios/${key}/outcomes?dryRun=true`, {body: text, contentType: "text/csv"});
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 400)) { render(out, html`<p class="error">${explain(e)}</p>`); return; }
        a = {received: null, rows: [], errors: e.problem.errors && e.problem.errors.length ? e.problem.errors
          : [{field: "", message: explain(e)}], invalidRows: null};
      }
      const errors = fileLines(a.errors, format);
      renderPreview(out, {format: "customer value (outcomes)", rows: a.received, preview: (a.rows || []).map(outcomeRow),
        channels: [...new Set((a.rows || []).map(r => r.channel))], errors, warnings: [], invalidRows: a.invalidRows}, chans, f);
      importButton.disabled = !allowed || errors.length > 0;
      return;
    }
    let answer = null;
    try {
      if (await serviceDryRun()) {
        answer = await api("POST", `/portfolios/${key}/metrics?format=${encodeURIComponent(format)}&dryRun=true`, {body: text, contentType: "text/csv"});
      }
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 400)) { render(out, html`<p class="error">${explain(e)}</p>`); return; }
      answer = {format, errors: fileLines(e.problem.errors, format)};
    }
    if (!answer || !Array.isArray(answer.preview)) {
      const local = format === "spendshift" ? localPreview(text, chans) : {format, preview: [], errors: [], local: true,
        note: "The console cannot read this platform's export by itself; the import checks every row."};
      answer = {...local, ...(answer || {}), preview: local.preview, local: true,
        errors: (answer && answer.errors && answer.errors.length ? answer.errors : local.errors)};
    }
    renderPreview(out, answer, chans, f);
    importButton.disabled = !allowed || (answer.errors || []).length > 0;
  });

  importButton.addEventListener("click", async () => {
    const format = document.getElementById("upload-format").value;
    const outcomes = format === OUTCOMES;
    importButton.disabled = true;
    try {
      const r = outcomes
        ? await api("POST", `/portfolios/${key}/outcomes`, {body: text, contentType: "text/csv"})
        : await api("POST", `/portfolios/${key}/metrics?format=${encodeURIComponent(format)}`, {body: text, contentType: "text/csv"});
      const said = outcomes ? `Customer value imported: ${r.received} rows received, ${r.inserted} new, ${r.replaced} replaced.`
        : `Imported: ${r.received} rows received, ${r.inserted} new, ${r.updated} updated.`;
      // green only for a 2xx answer; the result card says the same
      show(said, "info");
      render(out, html`<div class="card" id="import-result"><p class="pos">${said}</p>
        ${(r.warnings || []).length > 0 && warningsTable(r.warnings)}
        <p><a href="#/portfolios/${key}">See ${p.name}</a></p></div>`);
      out.focus();
    } catch (e) {
      const errors = e instanceof ApiError ? fileLines(e.problem && e.problem.errors, format) : [];
      const why = e instanceof ApiError ? explain(new ApiError(e.status, {...(e.problem || {}), errors: []})) : explain(e);
      show(`Nothing was stored (${e instanceof ApiError ? "HTTP " + e.status : "no answer"}).`);
      render(out, html`<div class="card" id="import-refused"><p class="error">Nothing was stored: ${why}</p>
        ${errors.length > 0 && errorsTable(errors)}</div>`);
    }
  });
}

/**
 * A 400's errors with the line of the file: a Spendshift CSV's `row` is its data row (the header is line 1), a
 * platform export's `row` is already the line of the file.
 */
function fileLines(errors, format) {
  const shift = format === "spendshift" || format === OUTCOMES ? 1 : 0;
  return (errors || []).map(x => ({line: x.row != null ? x.row + shift : x.line, field: x.field, message: x.message}));
}

/** An outcome row of the dry run, in the order of the upload's columns. */
function outcomeRow(r) {
  return {channel: r.channel, date: r.date, newCustomers: r.newCustomers, ltv: r.ltv ?? "", value: r.value ?? ""};
}

function errorsTable(errors) {
  return html`<div class="table-wrap"><table id="upload-errors"><caption class="error caption-left">${errors.length} error(s): fix them and preview again</caption>
    <thead><tr><th scope="col" class="num">Line</th><th scope="col">Field</th><th scope="col">Problem</th></tr></thead><tbody>
    ${errors.map(x => html`<tr><td class="num">${x.line ?? "–"}</td><td>${x.field || ""}</td><td>${x.message}</td></tr>`)}</tbody></table></div>`;
}

function warningsTable(warnings) {
  return html`<div class="table-wrap"><table id="upload-warnings"><caption class="caption-left">${warnings.length} warning(s): accepted, but check them</caption>
    <thead><tr><th scope="col" class="num">Line</th><th scope="col">Channel</th><th scope="col">Date</th><th scope="col">Warning</th></tr></thead><tbody>
    ${warnings.map(w => html`<tr><td class="num">${w.line ?? "–"}</td><td>${w.channel || ""}</td><td>${w.date || ""}</td><td>${w.message}</td></tr>`)}</tbody></table></div>`;
}

function renderPreview(out, a, chans, f) {
  const columns = (a.mapping && a.mapping.columns) || {};
  const cols = a.preview.length ? Object.keys(a.preview[0]) : [];
  render(out, html`<div class="card" id="upload-preview-card">
    <h2>Preview</h2>
    <dl class="kv" id="upload-summary">
      <dt>Format</dt><dd id="upload-detected">${a.format}${a.detected != null && (a.detected ? " (recognised)" : " (not recognised)")}</dd>
      ${Object.keys(columns).length > 0 && html`<dt>Columns</dt><dd id="upload-mapping">${Object.entries(columns).map(([field, header], i) => html`${i ? ", " : ""}<code>${field}</code> ← “${header}”`)}</dd>`}
      ${a.decimal && html`<dt>Decimal mark</dt><dd>${a.decimal}</dd>`}
      ${a.dateFormat && html`<dt>Dates</dt><dd>${a.dateFormat}${a.from && html`, ${a.from} to ${a.to}`}</dd>`}
      ${a.rows != null && html`<dt>Rows</dt><dd id="upload-rows">${a.rows}${a.invalidRows ? html` <span class="error">(${a.invalidRows} invalid)</span>` : ""}</dd>`}
      ${(a.channels || []).length > 0 && html`<dt>Channels</dt><dd>${a.channels.map((c, i) => html`${i ? ", " : ""}${channelName(chans, c)}`)}</dd>`}
      ${(a.unmapped || []).length > 0 && html`<dt>Campaigns no channel claims</dt><dd id="upload-unmapped" class="error">${a.unmapped.join(", ")}${a.unmappedCount > a.unmapped.length ? ` and ${a.unmappedCount - a.unmapped.length} more` : ""}
        (add them to a channel's aliases, or its platform target's campaigns)</dd>`}
    </dl>
    ${a.local && html`<p class="muted" id="upload-local">${a.note || "Read by the console from the file; the service checks every row again when you import, and stores nothing if any is invalid."}</p>`}
    ${cols.length > 0 && html`<div class="table-wrap"><table id="upload-rows-table"><caption class="muted caption-left">The first ${a.preview.length} row(s)</caption>
      <thead><tr>${cols.map(c => html`<th scope="col">${c}</th>`)}</tr></thead><tbody>
      ${a.preview.map(r => html`<tr>${cols.map(c => html`<td class="${["spend", "revenue", "ltv", "value"].includes(c) ? "num" : ""}">${["spend", "revenue", "ltv", "value"].includes(c) && r[c] !== "" && r[c] != null && isFinite(r[c]) ? f.money(r[c]) : r[c]}</td>`)}</tr>`)}
      </tbody></table></div>`}
    ${(a.errors || []).length > 0 ? errorsTable(a.errors) : html`<p class="pos" id="upload-ok">No errors found${a.local ? " in the console's reading" : ""}: ready to import.</p>`}
    ${(a.warnings || []).length > 0 && warningsTable(a.warnings)}
  </div>`);
}
