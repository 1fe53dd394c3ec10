/*
 * Escaping by default: html`...` escapes every interpolated value unless it is itself the result of html`...`
 * (a nested template) or of raw(...). Arrays are joined; null, undefined and false render as nothing, so
 * `${cond && html`...`}` reads as "only if". render() puts a template into an element.
 */

/** Markup that is already safe: a template's result, or what raw() vouches for. */
class Markup {
  constructor(text) { this.text = text; }
  toString() { return this.text; }
}

const ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;"};

/** Text as HTML text or attribute value. */
export const escape = v => String(v).replace(/[&<>"'`]/g, c => ENTITIES[c]);

/** Vouches for markup built elsewhere (the SVG charts, which escape their own text). Never for data. */
export const raw = text => new Markup(String(text));

export const isMarkup = v => v instanceof Markup;

function part(v) {
  if (v == null || v === false) { return ""; }
  if (v instanceof Markup) { return v.text; }
  if (Array.isArray(v)) { return v.map(part).join(""); }
  return escape(v);
}

export function html(strings, ...values) {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) { out += part(values[i]) + strings[i + 1]; }
  return new Markup(out);
}

/** Replaces the element's content with the template (a plain string is shown as text). */
export function render(el, template) {
  el.innerHTML = part(template);
  return el;
}
