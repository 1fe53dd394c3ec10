/*
 * Spendshift web console: the session, the menu and the routes. It only uses the public API (/api/v1), with
 * the caller's own credentials, so it can do nothing the API would refuse; it hides the actions the caller's
 * roles do not allow.
 */
import {html, render} from "./html.js";
import {api, ApiError, explain, forget, session} from "./api.js";
import {show, takeFlash} from "./ui.js";
import {clearCharts} from "./history.js";
import {portfoliosPage} from "./views/portfolios.js";
import {portfolioPage} from "./views/portfolio.js";
import {portfolioForm, channelForm} from "./views/forms.js";
import {uploadPage} from "./views/upload.js";
import {recommendationsPage, recommendationPage} from "./views/recommendations.js";
import {rulesPage} from "./views/rules.js";
import {simulationPage} from "./views/simulation.js";
import {auditPage} from "./views/audit.js";

const view = document.getElementById("view");
const SLUG = "([a-z0-9][a-z0-9_-]*)";

const routes = [
  [/^#?\/?$/, () => portfoliosPage(view)],
  [/^#\/portfolios\/new$/, () => portfolioForm(view, null)],
  [new RegExp(`^#/portfolios/${SLUG}$`), key => portfolioPage(view, key)],
  [new RegExp(`^#/portfolios/${SLUG}/settings$`), key => portfolioForm(view, key)],
  [new RegExp(`^#/portfolios/${SLUG}/channels/new$`), key => channelForm(view, key, null)],
  [new RegExp(`^#/portfolios/${SLUG}/channels/${SLUG}$`), (key, ch) => channelForm(view, key, ch)],
  [new RegExp(`^#/portfolios/${SLUG}/upload$`), key => uploadPage(view, key)],
  [/^#\/recommendations$/, () => recommendationsPage(view)],
  [/^#\/recommendations\/(\d+)$/, id => recommendationPage(view, id)],
  [/^#\/rules$/, () => rulesPage(view)],
  [/^#\/simulation$/, () => simulationPage(view)],
  [/^#\/audit$/, () => auditPage(view)],
];

function signedIn(on) {
  document.getElementById("nav").hidden = !on;
  document.getElementById("who").hidden = !on;
}

function logout(message) {
  session.auth = null;
  session.me = null;
  sessionStorage.removeItem("spendshift.auth");
  forget();
  clearCharts();
  signedIn(false);
  show("");
  renderLogin(message);
}
session.onExpired = logout;

function renderLogin(message) {
  view.innerHTML = document.getElementById("login-template").innerHTML;
  const form = document.getElementById("login-form");
  document.getElementById("login-error").textContent = message || "";
  document.getElementById("login-user").focus();
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const f = new FormData(form);
    const token = (f.get("token") || "").trim();
    session.auth = token ? "Bearer " + token
      : "Basic " + btoa(unescape(encodeURIComponent(f.get("user") + ":" + (f.get("password") || ""))));
    try {
      await start();
    } catch (e) {
      session.auth = null;
      document.getElementById("login-error").textContent =
        e instanceof ApiError && e.status === 401 ? "Unknown user or wrong password." : explain(e);
    }
  });
}

async function start() {
  session.me = await api("GET", "/me");
  sessionStorage.setItem("spendshift.auth", session.auth);
  signedIn(true);
  const scoped = (session.me.portfolios || []).map(p => p.roles.join("/") + " on " + p.portfolio);
  document.getElementById("who-name").textContent = session.me.user + " (" + session.me.roles.concat(scoped).join(", ") + ")";
  // rules, simulations and the audit chain are global: a caller with roles on single portfolios only does not get them
  document.querySelectorAll("#nav a[data-global]").forEach(a => { a.hidden = !session.me.roles.includes("viewer"); });
  route();
}

document.getElementById("logout").addEventListener("click", () => logout("Logged out."));

export async function route() {
  if (!session.me) { return; }
  const f = takeFlash();
  show(f ? f.message : "", f ? f.kind : undefined);
  clearCharts();
  const hash = location.hash || "#/";
  document.querySelectorAll("#nav a").forEach(a => {
    const target = a.getAttribute("href");
    const current = target === "#/" ? hash === "#/" || hash.startsWith("#/portfolios") : hash.startsWith(target);
    if (current) { a.setAttribute("aria-current", "page"); } else { a.removeAttribute("aria-current"); }
  });
  for (const [re, page] of routes) {
    const m = hash.split("?")[0].match(re);
    if (m) {
      render(view, html`<p class="muted">Loading…</p>`);
      try {
        await page(...m.slice(1));
      } catch (e) {
        render(view, html`<h1>Could not load this page</h1><p class="error">${explain(e)}</p>`);
      }
      view.focus();
      return;
    }
  }
  render(view, html`<h1>Not found</h1><p><a href="#/">Portfolios</a></p>`);
}

window.addEventListener("hashchange", route);

if (session.auth) {
  start().catch(() => logout());
} else {
  signedIn(false);
  renderLogin();
}
