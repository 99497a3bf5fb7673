// The panel's language: English or Russian, chosen from the browser's languages until
// the operator picks one in the panel, which this browser then remembers. Every text
// the panel shows comes from here (the strings live in i18n/en.js and i18n/ru.js, one
// module per language), and so do numbers, times and plurals, written the way each
// language writes them (Intl).
import en from "./i18n/en.js";
import ru from "./i18n/ru.js";

export const STRINGS = { en, ru };
const KEY = "hallcast.panel.language";

let current = pick(localStorage.getItem(KEY), navigator.languages || [navigator.language]);
const listeners = [];

// The remembered language if it is one the panel has, else the first of the browser's
// that it has ("ru-RU" is "ru"), else English.
function pick(remembered, browserLanguages) {
  if (remembered && STRINGS[remembered]) return remembered;
  for (const tag of browserLanguages) {
    const primary = String(tag || "").toLowerCase().split("-")[0];
    if (STRINGS[primary]) return primary;
  }
  return "en";
}

export function language() {
  return current;
}

export function setLanguage(code) {
  if (!STRINGS[code] || code === current) return;
  current = code;
  localStorage.setItem(KEY, code);
  document.documentElement.lang = code;
  translatePage();
  for (const listener of listeners) listener(code);
}

export function onLanguage(listener) {
  listeners.push(listener);
}

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
}

// The text of `key` with its {placeholders} filled in.
export function t(key, values = {}) {
  const text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return fill(typeof text === "string" ? text : text.other, values);
}

// The plural form of `key` for `count` ({count} written as the language writes numbers).
export function plural(key, count, values = {}) {
  const forms = STRINGS[current][key] ?? STRINGS.en[key];
  const rule = new Intl.PluralRules(current).select(count);
  const text = forms[rule] ?? forms.other;
  return fill(text, { ...values, count: number(count) });
}

export function number(value, options = {}) {
  return new Intl.NumberFormat(current, options).format(value);
}

// 14:03:27
export function clock(ms) {
  return new Intl.DateTimeFormat(current, { timeStyle: "medium" }).format(new Date(ms));
}

// The time of day on a 24-hour clock, as a broadcast reads it: 14:03:27. In the zone
// `utcOffsetMin` minutes east of UTC (the event's own, so that a Moscow show reads
// Moscow time on any machine), or the browser's without one.
export function timeOfDay(ms, utcOffsetMin = null) {
  const options = { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" };
  if (utcOffsetMin === null) return new Intl.DateTimeFormat(current, options).format(new Date(ms));
  // A fixed offset, not a named zone: shift the moment and read it as UTC.
  const shifted = new Date(ms + utcOffsetMin * 60000);
  return new Intl.DateTimeFormat(current, { ...options, timeZone: "UTC" }).format(shifted);
}

// How long, in the largest unit that fits: "5 minutes", "5 минут".
export function span(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const [value, unit] =
    s < 60 ? [s, "second"] : s < 3600 ? [Math.floor(s / 60), "minute"] : [Math.floor(s / 3600), "hour"];
  return number(value, { style: "unit", unit, unitDisplay: "long" });
}

// "2 minutes ago", "2 минуты назад".
export function ago(ms) {
  const seconds = Math.round((ms - Date.now()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(current, { numeric: "auto" });
  if (Math.abs(seconds) < 60) return rtf.format(seconds, "second");
  if (Math.abs(seconds) < 3600) return rtf.format(Math.round(seconds / 60), "minute");
  return rtf.format(Math.round(seconds / 3600), "hour");
}

// What an output's state is called: "on air", "в эфире".
export function stateName(state) {
  return t(`state.${state}`);
}

// The page's own texts: data-i18n (text), data-i18n-html (our own markup, <kbd> and
// <strong>), data-i18n-title, data-i18n-label (aria-label), data-i18n-alt.
export function translatePage(root = document) {
  document.documentElement.lang = current;
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll("[data-i18n-html]")) {
    node.innerHTML = t(node.dataset.i18nHtml);
  }
  for (const node of root.querySelectorAll("[data-i18n-title]")) {
    node.title = t(node.dataset.i18nTitle);
  }
  for (const node of root.querySelectorAll("[data-i18n-label]")) {
    node.setAttribute("aria-label", t(node.dataset.i18nLabel));
  }
  for (const node of root.querySelectorAll("[data-i18n-alt]")) node.alt = t(node.dataset.i18nAlt);
  for (const option of root.querySelectorAll("#fade-ms option")) {
    option.textContent = t("fade.seconds", {
      seconds: number(Number(option.value) / 1000, { maximumFractionDigits: 1 }),
    });
  }
}
