// The operator panel. It logs in with the token, keeps the control WebSocket open
// (reconnecting by itself, showing OFFLINE meanwhile), renders everything from the
// server's state and events, and turns clicks and shortcuts into requests
// (docs/protocol.md). Nothing is assumed locally: a control changes what the server
// reports, and every open panel shows that alike.
import { AudioDesk } from "./audio.js";
import { Captions } from "./captions.js";
import { Connection } from "./connection.js";
import { $, el, replaceEntry } from "./dom.js";
import { HallDesk } from "./hall.js";
import { STRINGS, language, number, onLanguage, setLanguage, t, translatePage } from "./i18n.js";
import { selfName } from "./languages.js";
import { Listening } from "./listen.js";
import { Destinations } from "./outputs.js";
import { Schedule } from "./schedule.js";
import { Switcher } from "./switcher.js";

// Waits between reconnection attempts: 1 s, then longer, never more than 5 s.
const BACKOFF_MS = [1000, 2000, 4000, 5000];

let state = null; // the server's last state, kept current by its events
let role = null; // "operator" or "viewer", from GET /session
let attempts = 0;
let retryTimer = 0;
let toastTimer = 0;

const actions = { send, confirm, notify, listen };
const switcher = new Switcher(actions);
const audio = new AudioDesk(actions);
const outputs = new Destinations(actions);
const hall = new HallDesk(actions);
const listening = new Listening({
  request: (message) => connection.request(message),
  onChange: listeningChanged,
});
const captions = new Captions(actions);
const schedule = new Schedule(actions);
const connection = new Connection({
  onOpen: opened,
  onEvent: handleEvent,
  onPicture: (feed, blob) => switcher.picture(feed, blob),
  onListen: (header, bytes) => listening.packet(header, bytes),
  onClose: closed,
});

// --- session and connection -------------------------------------------------------

// "operator" or "viewer"; null without a session; undefined if hallcast is unreachable.
async function whoAmI() {
  try {
    const response = await fetch("/session", {
      cache: "no-store",
      signal: AbortSignal.timeout(4000),
    });
    if (response.status === 401) return null;
    if (!response.ok) return undefined;
    return (await response.json()).role;
  } catch {
    return undefined;
  }
}

async function start() {
  clearTimeout(retryTimer);
  const who = await whoAmI();
  if (who === null) {
    showLogin();
  } else if (who === undefined) {
    retryLater();
  } else {
    role = who;
    connection.open();
  }
}

function retryLater() {
  setOffline(true);
  const wait = BACKOFF_MS[Math.min(attempts, BACKOFF_MS.length - 1)];
  attempts += 1;
  retryTimer = setTimeout(start, wait);
}

function opened() {
  attempts = 0;
  setOffline(false);
  show("panel");
  // A subscription belongs to the connection: ask again after every reconnect.
  connection.request({ cmd: "multiview.subscribe" });
  updateControls();
}

function closed() {
  for (const dialog of document.querySelectorAll("dialog[open]")) dialog.close("cancel");
  listening.lost();
  updateControls();
  // A refused upgrade and a lost server look alike from here; GET /session in start()
  // tells a lapsed session (login form) from an unreachable server (OFFLINE).
  retryLater();
}

function setOffline(offline) {
  const link = $("link");
  link.dataset.link = offline ? "offline" : "online";
  link.textContent = t(offline ? "link.offline" : "link.connected");
  $("offline").hidden = !offline || $("panel").hidden;
  document.body.classList.toggle("disconnected", offline);
  updateControls();
}

function updateControls() {
  const viewer = role === "viewer";
  $("role").hidden = !viewer;
  document.body.classList.toggle("viewer", viewer);
  $("controls").disabled = !connection.isOpen;
  // A viewer may listen (it changes nothing in the show) and nothing else.
  for (const control of $("controls").querySelectorAll("button, input, select")) {
    if (!control.classList.contains("listen")) control.disabled = viewer;
  }
  const canListen = Listening.supported();
  for (const button of document.querySelectorAll("button.listen")) button.hidden = !canListen;
  // The cue bar is outside the controls' fieldset (in the top bar).
  schedule.setEnabled(connection.isOpen && !viewer);
}

function show(section) {
  $("login").hidden = section !== "login";
  $("panel").hidden = section !== "panel";
  $("logout").hidden = section !== "panel";
}

function showLogin() {
  connection.close();
  state = null;
  role = null;
  setOffline(false);
  $("link").dataset.link = "login";
  $("link").textContent = t("link.login");
  show("login");
  $("token").focus();
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const token = $("token");
  const error = $("login-error");
  error.hidden = true;
  let response;
  try {
    // The server answers 303 to "/" with the session cookie; fetch follows it.
    response = await fetch("/login", {
      method: "POST",
      body: new URLSearchParams({ token: token.value }),
      signal: AbortSignal.timeout(10000),
    });
  } catch {
    response = null;
  }
  token.value = "";
  if (response && response.ok) {
    attempts = 0;
    start();
    return;
  }
  error.textContent = !response
    ? t("login.unreachable")
    : response.status === 401
      ? t("login.wrong")
      : response.status === 429
        ? t("login.throttled", { seconds: response.headers.get("Retry-After") ?? "…" })
        : t("login.failed", { status: response.status });
  error.hidden = false;
  token.focus();
});

$("logout").addEventListener("submit", async (event) => {
  event.preventDefault();
  // Before the server ends the session (and closes this socket with it), so that the
  // page does not take that close for a lost connection.
  connection.close();
  try {
    await fetch("/logout", { method: "POST" });
  } catch {
    // The session dies with the server anyway.
  }
  showLogin();
});

// --- state and events ---------------------------------------------------------------

function handleEvent(message) {
  if (message.event === "state") {
    state = message;
    switcher.build(state);
    captions.build(state);
    audio.build(state);
    outputs.build(state);
    hall.build(state);
    schedule.build(state);
    audio.listening(listening.tap);
    updateControls();
    return;
  }
  if (!state) return;
  const { event, ...body } = message;
  switch (event) {
    case "program":
      state.program = body.scene;
      switcher.tally();
      hall.update();
      break;
    case "preview":
      state.preview = body.scene;
      switcher.tally();
      hall.update();
      break;
    case "ptz":
      if (!hall.ptz(body)) resync();
      break;
    case "auto":
      hall.auto(body);
      break;
    case "source":
      if (replaceEntry(state.sources, "id", body)) {
        switcher.source(body);
        audio.source(body);
      } else resync();
      break;
    case "overlay":
      if (replaceEntry(state.overlays, "id", body)) {
        captions.overlay(body);
      } else {
        state.overlays.push(body); // made with overlay.create
        captions.build(state);
        updateControls();
      }
      break;
    case "overlay_deleted":
      state.overlays = state.overlays.filter((overlay) => overlay.id !== body.id);
      captions.build(state);
      updateControls();
      break;
    case "cue":
      if (!schedule.cue(body)) resync();
      break;
    case "audio":
      if (replaceEntry(state.audio, "channel", body)) audio.channel(body);
      else resync();
      break;
    case "output":
      if (replaceEntry(state.outputs, "id", body)) outputs.update(body);
      else resync();
      break;
    case "meters":
      audio.meters(body);
      break;
    default:
      break; // newer servers may send events this page does not know
  }
}

// --- listening ----------------------------------------------------------------------

// A listen button: start that signal, or stop it if it plays already.
async function listen(tap) {
  const reply = await listening.toggle(tap);
  if (reply && !reply.ok) {
    notify(t("failed", { what: t("listen"), why: reply.message || reply.error }));
  }
}

function listeningChanged(tap) {
  audio.listening(tap);
  $("listening").hidden = !tap;
  $("listening-name").textContent = tap ? audio.tapName(tap) : "";
}

$("listen-volume").value = String(listening.volume);
$("listen-volume").addEventListener("input", () =>
  listening.setVolume(Number($("listen-volume").value)),
);
$("listen-stop").addEventListener("click", () => listening.stop());
// How far behind the hall this browser plays, for the operator (and the tests).
setInterval(() => {
  const delay = listening.tap ? listening.delayMs : null;
  $("listening-delay").textContent =
    delay === null ? "" : t("listening.delay", { ms: number(Math.round(delay)) });
  $("listening-delay").dataset.ms = delay === null ? "" : String(Math.round(delay));
}, 500);

// Something this state does not know about: ask for the whole state again.
function resync() {
  connection.request({ cmd: "state.get" });
}

// `quiet`: the caller reports a failure itself.
async function send(request, { quiet = false } = {}) {
  const reply = await connection.request(request);
  if (!reply.ok && !quiet) {
    if (reply.error === "read_only") {
      role = "viewer";
      updateControls();
    }
    notify(t("failed", { what: request.cmd, why: reply.message || reply.error }));
  }
  return reply;
}

// --- dialogs and messages -----------------------------------------------------------

// Resolves true when the operator confirms. Cancel has the focus, so a stray Enter
// does nothing.
function confirm(text, items, okLabel = t("ok")) {
  const dialog = $("confirm");
  $("confirm-text").textContent = text;
  $("confirm-list").replaceChildren(...items.map((item) => el("li", {}, item)));
  $("confirm-ok").textContent = okLabel;
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
  });
}

function notify(text) {
  const toast = $("toast");
  toast.textContent = text;
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (toast.hidden = true), 6000);
}

// --- keyboard -----------------------------------------------------------------------

// By physical key (KeyboardEvent.code), so they work with any keyboard layout.
function shortcut(code) {
  const digit = /^(?:Digit|Numpad)([1-9])$/.exec(code);
  if (digit) return () => switcher.previewNumber(Number(digit[1]));
  if (code === "Space" || code === "Enter" || code === "NumpadEnter") {
    return () => switcher.take("cut");
  }
  if (code === "KeyF") return () => switcher.take("fade");
  if (code === "Escape") return () => switcher.arm(false);
  return null;
}

// Keys meant for a text field or a list are not shortcuts.
function typing(target) {
  if (!(target instanceof Element)) return false;
  if (target.closest("select, textarea, [contenteditable]:not([contenteditable=false])")) {
    return true;
  }
  return (
    target instanceof HTMLInputElement &&
    !["range", "checkbox", "radio", "button"].includes(target.type)
  );
}

// A button or field with the focus takes the keys itself (Space presses it, Tab moves
// on): shortcuts only when nothing has the focus.
function focused() {
  const active = document.activeElement;
  return (
    active !== null &&
    active !== document.body &&
    active.matches("button, input, select, textarea, a[href], [tabindex], [contenteditable]")
  );
}

function shortcutFor(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return null;
  if (focused()) return null;
  if ($("panel").hidden || document.querySelector("dialog[open]")) return null;
  return shortcut(event.code);
}

// A button clicked with the mouse or a finger does not keep the focus, so the shortcuts
// go on working after a click; one reached with the keyboard keeps it.
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("button") : null;
  if (button && event.detail > 0 && !button.closest("dialog, form#login-form")) button.blur();
});

document.addEventListener("keydown", (event) => {
  const action = shortcutFor(event);
  if (!action) return;
  // Also keeps Space and Enter from pressing whichever button has the focus.
  event.preventDefault();
  if (event.repeat || $("controls").disabled) return;
  action();
});
document.addEventListener("keyup", (event) => {
  if (shortcutFor(event)) event.preventDefault();
});

// --- language -----------------------------------------------------------------------

// English or Russian, each named in itself; the choice is remembered in this browser.
$("ui-language").replaceChildren(
  ...Object.keys(STRINGS).map((code) => el("option", { value: code }, selfName(code))),
);
$("ui-language").value = language();
$("ui-language").addEventListener("change", () => setLanguage($("ui-language").value));
onLanguage(() => {
  $("ui-language").value = language();
  const link = $("link");
  if (link.dataset.link !== "connecting") {
    link.textContent = t(
      { offline: "link.offline", online: "link.connected", login: "link.login" }[link.dataset.link],
    );
  }
  // Everything built from the state is built again, in the new language.
  if (state) handleEvent({ ...state, event: "state" });
  listeningChanged(listening.tap);
});
translatePage();
$("link").textContent = t("link.connecting");

start();
