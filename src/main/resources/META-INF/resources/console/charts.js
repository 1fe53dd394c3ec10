/*
 * Spendshift console: small SVG charts for shapes uPlot does not draw (bars before/after, a scatter, intervals).
 * Each returns markup (raw(): every text in it is escaped here) for an html`` template.
 */
import {escape as esc, raw} from "./html.js";

export const PALETTE = ["#1f5fbf", "#d1495b", "#2e933c", "#edae49", "#6c4ab6", "#00798c", "#8d6a9f", "#c05e00",
  "#3d5a80", "#9a031e", "#5f0f40", "#0f4c5c"];
const fmt = v => Math.abs(v) >= 1e6 ? (v / 1e6).toFixed(1) + "M" : Math.abs(v) >= 1e4 ? (v / 1e3).toFixed(0) + "k"
  : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toFixed(2);

function ticks(min, max, n) {
  if (max === min) { max = min + 1; }
  const step0 = (max - min) / n, mag = Math.pow(10, Math.floor(Math.log10(step0)));
  const step = [1, 2, 5, 10].map(m => m * mag).find(s => s >= step0);
  const out = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) { out.push(v); }
  return out;
}

function legend(items) {
  // a swatch is a tiny SVG whose colour is an attribute: the console's policy allows no inline style
  return `<div class="legend">${items.map(i => `<span><svg class="swatch" viewBox="0 0 12 12" aria-hidden="true"><rect width="12" height="12" rx="2" fill="${i.color}"/></svg>${esc(i.name)}</span>`).join("")}</div>`;
}

/** Horizontal bars, two per row (before, after). rows: [{label, before, after}]; label: formats amounts (axis, titles); signed: the change labels. */
export function beforeAfter(rows, title, label = fmt, signed = d => (d > 0 ? "+" : "") + d.toFixed(2)) {
  const w = 760, rowH = 34, left = 140, right = 90, top = 8;
  const h = top + rows.length * rowH + 24;
  const max = Math.max(1, ...rows.map(r => Math.max(r.before, r.after)));
  const x = v => left + (w - left - right) * v / max;
  let s = `<svg class="chart" role="img" aria-label="${esc(title)}" viewBox="0 0 ${w} ${h}" xmlns="http://www.w3.org/2000/svg">`;
  ticks(0, max, 5).forEach(t => {
    s += `<line x1="${x(t)}" x2="${x(t)}" y1="${top}" y2="${h - 20}" stroke="#e5e8ee"/><text x="${x(t)}" y="${h - 6}" text-anchor="middle">${esc(label(t))}</text>`;
  });
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const d = r.after - r.before;
    s += `<text x="${left - 8}" y="${y + 19}" text-anchor="end" class="label">${esc(r.label)}</text>`;
    s += `<rect x="${left}" y="${y + 4}" width="${x(r.before) - left}" height="11" fill="#9aa5b8"><title>${esc(r.label)} current ${esc(label(r.before))}</title></rect>`;
    s += `<rect x="${left}" y="${y + 16}" width="${x(r.after) - left}" height="11" fill="${d > 0 ? "#2e933c" : d < 0 ? "#d1495b" : "#1f5fbf"}"><title>${esc(r.label)} proposed ${esc(label(r.after))}</title></rect>`;
    s += `<text x="${x(Math.max(r.before, r.after)) + 6}" y="${y + 19}" class="label ${d > 0 ? "up" : d < 0 ? "down" : "flat"}">${esc(signed(d))}</text>`;
  });
  return raw(s + "</svg>" + legend([{name: "current budget", color: "#9aa5b8"}, {name: "proposed (up)", color: "#2e933c"},
    {name: "proposed (down)", color: "#d1495b"}]));
}

/** Lines over a shared x axis. series: [{name, color?, values: [number|null]}], labels: x labels */
export function lines(series, labels, title, opts = {}) {
  const w = 760, h = opts.height || 260, left = 52, right = 12, top = 10, bottom = 26;
  const all = series.flatMap(se => se.values).filter(v => v != null && isFinite(v));
  const min = opts.zero === false ? Math.min(...all) : Math.min(0, ...all), max = Math.max(...all, min + 1);
  const n = Math.max(2, labels.length);
  const x = i => left + (w - left - right) * i / (n - 1);
  const y = v => top + (h - top - bottom) * (1 - (v - min) / (max - min));
  let s = `<svg class="chart" role="img" aria-label="${esc(title)}" viewBox="0 0 ${w} ${h}" xmlns="http://www.w3.org/2000/svg">`;
  ticks(min, max, 5).forEach(t => {
    s += `<line x1="${left}" x2="${w - right}" y1="${y(t)}" y2="${y(t)}" stroke="#e5e8ee"/><text x="${left - 6}" y="${y(t) + 4}" text-anchor="end">${fmt(t)}</text>`;
  });
  const every = Math.ceil(labels.length / 8);
  labels.forEach((l, i) => {
    if (i % every === 0) { s += `<text x="${x(i)}" y="${h - 8}" text-anchor="middle">${esc(l)}</text>`; }
  });
  series.forEach((se, k) => {
    const color = se.color || PALETTE[k % PALETTE.length];
    let d = "";
    se.values.forEach((v, i) => {
      if (v == null || !isFinite(v)) { return; }
      d += (d && se.values[i - 1] != null ? "L" : "M") + x(i).toFixed(1) + "," + y(v).toFixed(1);
    });
    s += `<path d="${d}" fill="none" stroke="${color}" stroke-width="${se.width || 1.8}"${se.dash ? ` stroke-dasharray="${se.dash}"` : ""}><title>${esc(se.name)}</title></path>`;
  });
  return raw(s + "</svg>" + legend(series.map((se, k) => ({name: se.name, color: se.color || PALETTE[k % PALETTE.length]}))));
}

/** points: [{label, x, y, color?}] */
export function scatter(points, xLabel, yLabel, title, refs = {}) {
  const w = 560, h = 340, left = 52, right = 16, top = 12, bottom = 40;
  const pts = points.filter(p => p.x != null && p.y != null && isFinite(p.x) && isFinite(p.y));
  const maxX = Math.max(1, ...pts.map(p => p.x), refs.x || 0) * 1.1, maxY = Math.max(1, ...pts.map(p => p.y), refs.y || 0) * 1.1;
  const x = v => left + (w - left - right) * v / maxX;
  const y = v => top + (h - top - bottom) * (1 - v / maxY);
  let s = `<svg class="chart" role="img" aria-label="${esc(title)}" viewBox="0 0 ${w} ${h}" xmlns="http://www.w3.org/2000/svg">`;
  ticks(0, maxY, 5).forEach(t => { s += `<line x1="${left}" x2="${w - right}" y1="${y(t)}" y2="${y(t)}" stroke="#e5e8ee"/><text x="${left - 6}" y="${y(t) + 4}" text-anchor="end">${fmt(t)}</text>`; });
  ticks(0, maxX, 5).forEach(t => { s += `<text x="${x(t)}" y="${h - 22}" text-anchor="middle">${fmt(t)}</text>`; });
  if (refs.x) { s += `<line x1="${x(refs.x)}" x2="${x(refs.x)}" y1="${top}" y2="${h - bottom}" stroke="#b3261e" stroke-dasharray="4 3"><title>${esc(refs.xName || "")}</title></line>`; }
  if (refs.y) { s += `<line x1="${left}" x2="${w - right}" y1="${y(refs.y)}" y2="${y(refs.y)}" stroke="#8a5a00" stroke-dasharray="4 3"><title>${esc(refs.yName || "")}</title></line>`; }
  s += `<text x="${(left + w - right) / 2}" y="${h - 4}" text-anchor="middle" class="axis">${esc(xLabel)}</text>`;
  s += `<text transform="translate(12 ${(top + h - bottom) / 2}) rotate(-90)" text-anchor="middle" class="axis">${esc(yLabel)}</text>`;
  pts.forEach((p, i) => {
    const c = p.color || PALETTE[i % PALETTE.length];
    s += `<circle cx="${x(p.x)}" cy="${y(p.y)}" r="6" fill="${c}" fill-opacity=".8"><title>${esc(p.label)}: ${p.x.toFixed(2)}, ${p.y.toFixed(2)}</title></circle>`;
    s += `<text x="${x(p.x) + 8}" y="${y(p.y) - 6}" class="axis">${esc(p.label)}</text>`;
  });
  return raw(s + "</svg>");
}

/**
 * Intervals on one horizontal axis, one row each, with zero marked: a bar from low to high and a dot at the
 * expected value. rows: [{label, expected, low, high, kind?}] (kind: a CSS class, e.g. "forecast", "realized");
 * rows with no numbers are left out. label: formats the axis ticks.
 */
export function intervals(rows, title, label = fmt) {
  const shown = rows.filter(r => [r.expected, r.low, r.high].every(v => v != null && isFinite(v)));
  const w = 760, rowH = 30, left = 150, right = 24, top = 8, h = top + Math.max(1, shown.length) * rowH + 26;
  const all = shown.flatMap(r => [r.low, r.high, r.expected]).concat([0]);
  let min = Math.min(...all), max = Math.max(...all);
  const pad = (max - min || 1) * 0.06;
  min -= pad; max += pad;
  const x = v => left + (w - left - right) * (v - min) / (max - min);
  let s = `<svg class="chart intervals" role="img" aria-label="${esc(title)}" viewBox="0 0 ${w} ${h}" xmlns="http://www.w3.org/2000/svg">`;
  ticks(min, max, 5).forEach(t => {
    s += `<line x1="${x(t)}" x2="${x(t)}" y1="${top}" y2="${h - 20}" class="grid"/><text x="${x(t)}" y="${h - 6}" text-anchor="middle">${esc(label(t))}</text>`;
  });
  s += `<line x1="${x(0)}" x2="${x(0)}" y1="${top}" y2="${h - 20}" class="zero"><title>no change</title></line>`;
  shown.forEach((r, i) => {
    const y = top + i * rowH + rowH / 2;
    const kind = esc(r.kind || "forecast");
    s += `<text x="${left - 8}" y="${y + 4}" text-anchor="end" class="label">${esc(r.label)}</text>`;
    s += `<rect x="${x(r.low)}" y="${y - 6}" width="${Math.max(2, x(r.high) - x(r.low))}" height="12" rx="3" class="range ${kind}"><title>${esc(r.label)}: ${esc(label(r.low))} to ${esc(label(r.high))}</title></rect>`;
    s += `<circle cx="${x(r.expected)}" cy="${y}" r="5" class="expected ${kind}"><title>${esc(r.label)}: expected ${esc(label(r.expected))}</title></circle>`;
  });
  return raw(s + "</svg>");
}


