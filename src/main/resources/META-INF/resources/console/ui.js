/*
 * What every page shares: the message banner, a message for the next page, and showing a problem's
 * errors[] next to the form fields they name.
 */
import {html, render} from "./html.js";
import {ApiError, explain} from "./api.js";

const banner = () => document.getElementById("banner");
let pending = null;

/** A message at the top of the page (aria-live: read out); kind "info" for good news, else an error. */
export function show(message, kind) {
  const b = banner();
  b.textContent = message || "";
  b.className = kind || "";
  b.hidden = !message;
}

/** A message for the next page shown (after an action that navigates). */
export function flash(message, kind) {
  pending = {message, kind};
}

export function takeFlash() {
  const f = pending;
  pending = null;
  return f;
}

/** Field names tried for an error's field: itself, then without indexes, then its parents. */
function candidates(field) {
  const out = [field];
  const plain = field.replace(/\[\d+\]/g, "");
  if (plain !== field) { out.push(plain); }
  let f = field;
  while (f.includes(".")) {
    f = f.slice(0, f.lastIndexOf("."));
    out.push(f, f.replace(/\[\d+\]/g, ""));
  }
  return out;
}

/** Clears what showProblem put into the form. */
export function clearErrors(form) {
  form.querySelectorAll(".field-error").forEach(e => e.remove());
  form.querySelectorAll("[aria-invalid]").forEach(e => {
    e.removeAttribute("aria-invalid");
    e.removeAttribute("aria-describedby");
  });
  const summary = form.querySelector(".form-errors");
  if (summary) { render(summary, ""); }
}

/**
 * A failed save: each of the problem's errors[] next to the field it names (data-field on the input), the
 * first such field focused; the rest, and the problem itself, in the form's summary (role=alert).
 */
export function showProblem(form, e) {
  clearErrors(form);
  const summary = form.querySelector(".form-errors");
  const errors = e instanceof ApiError && Array.isArray(e.problem.errors) ? e.problem.errors : [];
  const unplaced = [];
  let first = null;
  errors.forEach((x, i) => {
    const field = x.field || "";
    const input = candidates(field).map(f => form.querySelector(`[data-field="${CSS.escape(f)}"]`)).find(Boolean);
    if (!input) { unplaced.push(x); return; }
    const id = `err-${form.id}-${i}`;
    const p = document.createElement("p");
    p.className = "field-error error";
    p.id = id;
    p.dataset.for = field;
    p.textContent = (input.dataset.field === field ? "" : field + ": ") + x.message;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + id).trim());
    (input.closest("label") || input).insertAdjacentElement("afterend", p);
    first = first || input;
  });
  if (summary) {
    render(summary, html`<p class="error">${explain(e instanceof ApiError ? new ApiError(e.status,
      {...e.problem, errors: unplaced}) : e)}</p>`);
  }
  (first || summary).focus();
}
