/*
 * Numbers, money and time as a reader expects them: money in the portfolio's currency (Intl.NumberFormat),
 * instants in the portfolio's time zone with the zone named, channels by name with their key on hover.
 */
import {html} from "./html.js";

const DASH = "–";
const finite = v => v != null && v !== "" && isFinite(v);

/** 1,234.50: an amount without a currency (simulations, where there is none). */
export const number = (v, digits = 2) => !finite(v) ? DASH
  : Number(v).toLocaleString("en", {minimumFractionDigits: digits, maximumFractionDigits: digits});

export const ratio = v => !finite(v) ? DASH : Number(v).toFixed(2);
export const percent = (v, digits = 0) => !finite(v) ? DASH : (Number(v) * 100).toFixed(digits) + "%";

/** Amounts in a currency; signed: changes show their sign. An unknown code falls back to the number and the code. */
export function moneyFormat(currency, signed = false) {
  try {
    const f = new Intl.NumberFormat("en", {style: "currency", currency: currency || "EUR",
      signDisplay: signed ? "exceptZero" : "auto"});
    return v => !finite(v) ? DASH : f.format(+v);
  } catch (e) {
    return v => !finite(v) ? DASH : (signed && v > 0 ? "+" : "") + number(v) + " " + (currency || "");
  }
}

/** Axis ticks: short, e.g. "€1.2K" (signed: "+€1.2K"). */
export function compactMoney(currency, signed = false) {
  try {
    const f = new Intl.NumberFormat("en", {style: "currency", currency: currency || "EUR", notation: "compact",
      maximumFractionDigits: 1, signDisplay: signed ? "exceptZero" : "auto"});
    return v => f.format(v);
  } catch (e) {
    return v => String(+(+v).toFixed(1));
  }
}

/** "2026-03-01 09:00 EST": an instant in a time zone (UTC when none), the zone's short name said. */
export function timeFormat(timeZone) {
  let f;
  try {
    f = new Intl.DateTimeFormat("en-US", {timeZone: timeZone || "UTC", year: "numeric", month: "2-digit",
      day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short"});
  } catch (e) {
    f = new Intl.DateTimeFormat("en-US", {timeZone: "UTC", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short"});
  }
  return v => {
    if (!v) { return DASH; }
    const p = Object.fromEntries(f.formatToParts(new Date(v)).map(x => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName}`;
  };
}

/** Everything a page of one portfolio formats with. */
export function formatsOf(portfolio) {
  const currency = portfolio && portfolio.currency;
  const zone = (portfolio && portfolio.timeZone) || "UTC";
  return {currency, zone, money: moneyFormat(currency), signed: moneyFormat(currency, true),
    ticks: compactMoney(currency), signedTicks: compactMoney(currency, true), when: timeFormat(zone)};
}

/** A channel by its name, its key on hover (and for screen readers when it differs). */
export function channelName(channels, key) {
  const c = channels && channels.get(key);
  const name = c && c.name ? c.name : key;
  return name === key ? html`<span class="channel" title="channel ${key}">${name}</span>`
    : html`<span class="channel" title="channel ${key}">${name} <span class="key">${key}</span></span>`;
}

/** Plain text channel name, for charts. */
export const channelLabel = (channels, key) => (channels && channels.get(key) && channels.get(key).name) || key;

/** "PROPOSED" as a coloured badge. */
export const badge = s => html`<span class="badge ${s}">${s}</span>`;
