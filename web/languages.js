// Each programme language named in itself, for every page that offers a choice of
// language to people who speak it: "English", "Русский". The floor is the hall's own
// sound, in whatever language is spoken there. The engine names the HLS renditions the
// same way (src/engine/outputs/track_names.cpp), so a browser's own menu agrees.

const SELF_NAMES = {
  floor: "Original sound",
  en: "English",
  ru: "Русский",
  de: "Deutsch",
  fr: "Français",
  es: "Español",
  it: "Italiano",
  zh: "中文",
  ja: "日本語",
  ko: "한국어",
  ar: "العربية",
  tr: "Türkçe",
  uk: "Українська",
  kk: "Қазақ тілі",
};

// "en" → "English", "ru" → "Русский"; a language not listed is named by the browser in
// that language itself, else by its code.
export function selfName(language) {
  if (SELF_NAMES[language]) return SELF_NAMES[language];
  try {
    const name = new Intl.DisplayNames([language], { type: "language" }).of(language);
    if (name && name !== language) return name.charAt(0).toLocaleUpperCase(language) + name.slice(1);
  } catch {
    // not a language tag the browser knows
  }
  return language;
}

// The LANGUAGE attribute of an HLS rendition back to hallcast's language: the floor is
// written as ISO 639-2 "mul" (many languages).
export function fromHlsLanguage(code) {
  const language = String(code || "").toLowerCase();
  return language === "mul" ? "floor" : language;
}

// The language to start with: the one remembered, else the first of the browser's
// languages the show has (by primary subtag: "ru-RU" is "ru"), else `fallback`.
export function preferredLanguage(available, remembered, browserLanguages, fallback) {
  if (remembered && available.includes(remembered)) return remembered;
  for (const tag of browserLanguages || []) {
    const primary = String(tag).toLowerCase().split("-")[0];
    if (primary !== "floor" && available.includes(primary)) return primary;
  }
  return available.includes(fallback) ? fallback : available[0];
}
