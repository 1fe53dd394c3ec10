/*
 * History charts (uPlot, served from its WebJar by the service): a period's daily values with the previous
 * period of the same length overlaid, amounts on the axis in the portfolio's currency. Charts follow the
 * window's width.
 */
import uPlot from "/webjars/uplot/1.6.30/dist/uPlot.esm.js";

const DAY = 86400000;
const live = new Set();

/** The ISO date n days after (before, when negative) an ISO date. */
export const addDays = (iso, n) => new Date(Date.parse(iso + "T00:00:00Z") + n * DAY).toISOString().slice(0, 10);
/** Days from a to b, both included. */
export const daysBetween = (a, b) => Math.round((Date.parse(b) - Date.parse(a)) / DAY) + 1;
/** Every ISO date from a to b. */
export const datesFrom = (a, b) => Array.from({length: Math.max(0, daysBetween(a, b))}, (_, i) => addDays(a, i));

/** The period before [from, to], of the same length. */
export function previousPeriod(from, to) {
  const n = daysBetween(from, to);
  return {from: addDays(from, -n), to: addDays(from, -1)};
}

/** Drops the charts of the page that is left. */
export function clearCharts() {
  live.forEach(c => c.destroy());
  live.clear();
}

window.addEventListener("resize", () => live.forEach(c => {
  const w = c.root.parentElement ? c.root.parentElement.clientWidth : 0;
  if (w > 0) { c.setSize({width: w, height: c.height}); }
}));

/**
 * Into el: the current period's values (solid) and the previous period's on the same days of the period
 * (dashed). dates: the current period's ISO dates; current, previous: a value (or null) per date; money: formats
 * amounts (axis: compact, legend: exact).
 */
export function comparisonChart(el, {title, dates, current, previous, money, ticks}) {
  el.setAttribute("role", "img");
  el.setAttribute("aria-label", title);
  const xs = dates.map(d => Date.parse(d + "T00:00:00Z") / 1000);
  const width = Math.max(280, el.clientWidth || 600);
  const chart = new uPlot({
    width, height: 240, tzDate: ts => uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"),
    legend: {live: true},
    cursor: {drag: {x: false, y: false}},
    scales: {x: {time: true}},
    axes: [
      {stroke: "#5b6474", grid: {stroke: "#eceff3"}},
      {stroke: "#5b6474", grid: {stroke: "#eceff3"}, size: 64, values: (u, vals) => vals.map(v => ticks(v))},
    ],
    series: [
      {label: "Day", value: (u, ts) => ts == null ? "–" : new Date(ts * 1000).toISOString().slice(0, 10)},
      {label: "This period", stroke: "#1f5fbf", width: 2, value: (u, v) => money(v)},
      {label: "Previous period", stroke: "#9aa5b8", width: 1.5, dash: [6, 4], value: (u, v) => money(v)},
    ],
  }, [xs, current, previous], el);
  live.add(chart);
  return chart;
}
