/* The portfolio list: budget in each portfolio's currency, mode, schedule, last run in its time zone. */
import {html, render} from "../html.js";
import {api, can} from "../api.js";
import {badge, formatsOf} from "../format.js";

export async function portfoliosPage(view) {
  const list = await api("GET", "/portfolios?size=500");
  const rows = await Promise.all(list.items.map(async p => {
    const [runs, proposed, approved] = await Promise.all([
      api("GET", `/portfolios/${p.key}/runs?size=1`),
      api("GET", `/recommendations?portfolio=${p.key}&status=PROPOSED&size=1`),
      api("GET", `/recommendations?portfolio=${p.key}&status=APPROVED&size=1`)]);
    return {p, last: runs.items[0], open: proposed.total + approved.total};
  }));
  render(view, html`<div class="title-row"><h1>Portfolios</h1>
      ${can("admin") && html`<a class="button" id="new-portfolio" href="#/portfolios/new">New portfolio</a>`}</div>
    <div class="table-wrap"><table id="portfolios"><caption class="muted caption-left">${list.total} portfolio(s)</caption>
    <thead><tr><th scope="col">Portfolio</th><th scope="col" class="num">Total daily budget</th><th scope="col">Mode</th>
    <th scope="col">Schedule</th><th scope="col">Last run</th><th scope="col" class="num">Open recommendations</th></tr></thead>
    <tbody>${rows.map(({p, last, open}) => {
      const f = formatsOf(p);
      return html`<tr data-portfolio="${p.key}">
      <td><a href="#/portfolios/${p.key}">${p.name}</a><br><span class="muted">${p.key} · ${p.channels} channels · ${p.currency}</span></td>
      <td class="num">${f.money(p.totalDailyBudget)}</td>
      <td>${p.mode}</td>
      <td>${p.schedule ? html`<code>${p.schedule}</code> <span class="muted">${p.timeZone}</span>` : html`<span class="muted">manual</span>`}</td>
      <td>${last ? html`${badge(last.status)} ${f.when(last.finishedAt || last.startedAt)}` : html`<span class="muted">never</span>`}</td>
      <td class="num">${open ? html`<a href="#/recommendations?portfolio=${p.key}">${open}</a>` : "0"}</td></tr>`;
    })}</tbody></table></div>`);
}
