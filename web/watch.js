// The audience page, /watch: the event (title, venue, start), a countdown before the
// start and "live" once the programme plays, and the player with a language menu.
// Public: it reads /watch.json and the HLS files, nothing of the operator's side.
// With ?embed=1 (an iframe on the organiser's site) only the player and menu show.
import { preferredLanguage, selfName } from "./languages.js";
import { Player } from "./watch_player.js";

const $ = (id) => document.getElementById(id);
const STORAGE_KEY = "hallcast.watch.language";
const INFO_RETRY_MS = 3000;

// The page's own words, in the listener's language where there are some.
const WORDS = {
  en: {
    live: "Live",
    startsIn: "Starts in",
    days: (n) => (n === 1 ? "1 day" : `${n} days`),
    waiting: "The broadcast will start shortly.",
    reconnecting: "Reconnecting…",
    unsupported: "This browser cannot play the broadcast.",
    sound: "Tap for sound",
  },
  ru: {
    live: "В эфире",
    startsIn: "Начало через",
    days: (n) => `${n} ${n % 10 === 1 && n % 100 !== 11 ? "день" : [2, 3, 4].includes(n % 10) && ![12, 13, 14].includes(n % 100) ? "дня" : "дней"}`,
    waiting: "Трансляция скоро начнётся.",
    reconnecting: "Переподключение…",
    unsupported: "Этот браузер не может показать трансляцию.",
    sound: "Включить звук",
  },
};

const embed = new URLSearchParams(location.search).get("embed") === "1";
if (embed) document.documentElement.classList.add("embed");

let info = null;
let player = null;
let playerState = "loading";
let uiLanguage = "en";

function words() {
  return WORDS[uiLanguage] || WORDS.en;
}

function browserLanguages() {
  return navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
}

// The page's words follow the chosen language; for the floor, the browser's.
function chooseUiLanguage(language) {
  const candidates = language && language !== "floor" ? [language] : [];
  candidates.push(...browserLanguages().map((tag) => String(tag).toLowerCase().split("-")[0]));
  uiLanguage = candidates.find((c) => WORDS[c]) || "en";
  document.documentElement.lang = uiLanguage;
}

function remembered() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage switched off
  }
}

function remember(language) {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // storage switched off: the choice lasts this visit only
  }
}

// "1:02:03", "2:03"; with days in front when it is further off.
function remaining(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(total / 86400);
  const h = Math.floor(total / 3600) % 24;
  const m = Math.floor(total / 60) % 60;
  const s = total % 60;
  const mm = String(m).padStart(2, "0");
  const ss = String(s).padStart(2, "0");
  const clock = h > 0 || days > 0 ? `${h}:${mm}:${ss}` : `${m}:${ss}`;
  return days > 0 ? `${words().days(days)} ${clock}` : clock;
}

function startTime() {
  const at = info && info.start ? Date.parse(info.start) : NaN;
  return Number.isNaN(at) ? null : at;
}

function render() {
  if (!info) return;
  const w = words();
  const start = startTime();
  const before = start !== null && Date.now() < start;
  $("countdown").hidden = !before;
  if (before) $("countdown").textContent = `${w.startsIn} ${remaining(start - Date.now())}`;
  $("live").hidden = before || !(playerState === "playing" || playerState === "blocked");
  $("live").textContent = w.live;
  $("sound").hidden = playerState !== "blocked";
  $("sound").textContent = w.sound;
  const notice =
    playerState === "unsupported"
      ? w.unsupported
      : playerState === "waiting"
        ? before || (player && player.restarts === 0) ? w.waiting : w.reconnecting
        : "";
  $("notice").hidden = !notice;
  $("notice").textContent = notice;
  if (start !== null) {
    $("start").dateTime = info.start;
    $("start").textContent = new Intl.DateTimeFormat(uiLanguage, {
      dateStyle: "long",
      timeStyle: "short",
    }).format(start);
  }
}

function buildMenu() {
  const menu = $("language");
  menu.replaceChildren(
    ...info.languages.map((language) => {
      const option = document.createElement("option");
      option.value = language;
      option.textContent = selfName(language);
      option.lang = language === "floor" ? "" : language;
      return option;
    }),
  );
  const language = preferredLanguage(info.languages, remembered(), browserLanguages(), info.language);
  menu.value = language;
  chooseUiLanguage(language);
  menu.addEventListener("change", () => {
    remember(menu.value);
    chooseUiLanguage(menu.value);
    player.setLanguage(menu.value);
    render();
  });
  return language;
}

async function loadInfo() {
  for (;;) {
    try {
      const response = await fetch("/watch.json", { cache: "no-store" });
      if (response.ok) return await response.json();
    } catch {
      // hallcast not reachable yet: try again
    }
    await new Promise((resolve) => setTimeout(resolve, INFO_RETRY_MS));
  }
}

async function main() {
  info = await loadInfo();
  if (info.title) {
    $("title").textContent = info.title;
    document.title = info.title;
  }
  $("venue").textContent = info.venue || "";
  const language = buildMenu();
  player = new Player($("video"), info.playlist, {
    onState(state) {
      playerState = state;
      render();
    },
  });
  player.setLanguage(language);
  $("sound").addEventListener("click", () => player.unmute());
  render();
  setInterval(render, 1000);
  if (info.playlist) {
    player.start();
  } else {
    playerState = "waiting";
    render();
  }
}

// For tests and the curious: which player plays, and which language it plays.
window.hallcastWatch = {
  get engine() {
    return player ? player.engine : null;
  },
  get language() {
    return player ? player.currentLanguage() : null;
  },
  get hls() {
    return player ? player.hls : null;
  },
};

main();
