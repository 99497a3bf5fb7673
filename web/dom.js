// Small helpers shared by the panel's modules: building elements and formatting the
// numbers the server sends, in the panel's language.
import { number, t } from "./i18n.js";
import { selfName } from "./languages.js";

export const $ = (id) => document.getElementById(id);

// el("button", {class: "scene", onclick: f}, "Wide"): properties the element has are
// set as properties, "on…" as listeners, anything else (aria-*, data-*) as attributes.
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key in node) node[key] = value;
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

// The server's meters say -100 for silence.
export function decibels(value, unit = t("decibel")) {
  if (typeof value !== "number" || value <= -99.5) return `−∞ ${unit}`.trim();
  const text = number(Math.round(value * 10) / 10, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    signDisplay: "exceptZero",
  }).replace("-", "−");
  return `${text} ${unit}`.trim();
}

// A meter shows -60 to 0 dBFS; the fraction of its length lit for `db`.
export function meterFraction(db) {
  return Math.min(1, Math.max(0, (db + 60) / 60));
}

export function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds || 0));
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
  return `${hms[0]}:${String(hms[1]).padStart(2, "0")}:${String(hms[2]).padStart(2, "0")}`;
}

// A language track's name, in its own language ("English", "Русский"); the floor in
// the panel's.
export function languageName(language) {
  return language === "floor" ? t("floor") : selfName(language);
}

// Replaces the entry of `list` whose `key` matches `item`'s; false if there is none.
export function replaceEntry(list, key, item) {
  const index = list.findIndex((entry) => entry[key] === item[key]);
  if (index < 0) return false;
  list[index] = item;
  return true;
}
