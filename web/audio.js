// The audio desk: a strip per audio and interpretation source (fader, mute, meter) and
// a meter per programme language track with its loudness and whether its booth speaks.
import { $, decibels, el, languageName, meterFraction } from "./dom.js";
import { t } from "./i18n.js";

// Fader moves are sent at most this often while dragging; the last one always goes.
const FADER_INTERVAL_MS = 80;
const FINE_SPAN_DB = 12;

export class AudioDesk {
  constructor(actions) {
    this.actions = actions;
    this.strips = new Map(); // channel -> {fader, value, mute, meter, dragging}
    this.tracks = new Map(); // language -> {meter, momentary, shortTerm, booth}
    // Fine mode: each fader's travel spans FINE_SPAN_DB around where it is, for a
    // touch screen's short faders.
    this.fine = false;
    $("fine-faders").addEventListener("click", () => this.setFine(!this.fine));
  }

  setFine(on) {
    this.fine = on;
    $("fine-faders").setAttribute("aria-pressed", String(on));
    for (const [id, strip] of this.strips) {
      if (!strip.dragging) this.range(strip, this.current(id)?.gain_db ?? Number(strip.fader.value));
    }
  }

  // The fader's range: the whole (-60 … +12 dB), or fine around `gain_db`.
  range(strip, gain_db) {
    const [low, high] = this.fine
      ? [Math.max(-60, gain_db - FINE_SPAN_DB / 2), Math.min(12, gain_db + FINE_SPAN_DB / 2)]
      : [-60, 12];
    strip.fader.min = String(low);
    strip.fader.max = String(high);
    strip.fader.step = this.fine ? "0.1" : "0.5";
    strip.fader.value = String(gain_db);
  }

  build(state) {
    this.state = state;
    this.strips.clear();
    $("strips").replaceChildren(...state.audio.map((channel) => this.strip(state, channel)));
    state.audio.forEach((channel) => this.channel(channel));
    state.sources.forEach((source) => this.source(source));

    this.tracks.clear();
    $("tracks").replaceChildren(
      ...state.languages.map((language) => {
        const track = {
          meter: meter(),
          momentary: el("span", {}, "M"),
          shortTerm: el("span", {}, "S"),
          booth: el(
            "span",
            { class: "booth" },
            language === "floor" ? t("strip.floor") : t("track.booth"),
          ),
        };
        this.tracks.set(language, track);
        return el(
          "div",
          { class: "track", "data-language": language },
          el("span", { class: "name" }, languageName(language)),
          el("div", { class: "strip-body" }, labelled(track.meter, t("track.level", { name: languageName(language) }))),
          el(
            "span",
            { class: "loudness", title: t("loudness.title") },
            track.momentary,
            track.shortTerm,
          ),
          track.booth,
          listenButton(`track:${language}`, this.actions),
        );
      }),
    );
    for (const status of state.tracks ?? []) this.track(status);
  }

  strip(state, channel) {
    const id = channel.channel;
    const source = state.sources.find((entry) => entry.id === id) ?? {};
    const fader = el("input", {
      type: "range",
      class: "fader",
      min: "-60",
      max: "12",
      step: "0.5",
      "aria-label": t("gain.label", { name: source.label || id }),
    });
    const strip = {
      fader,
      value: el("output", { class: "gain" }),
      mute: el("button", { type: "button", class: "mute", "aria-pressed": "false" }, t("mute")),
      meter: meter(),
      dragging: false,
    };
    const sendGain = throttle((gain_db) => {
      this.actions.send({ cmd: "audio.set", channel: id, gain_db });
    }, FADER_INTERVAL_MS);
    fader.addEventListener("input", () => {
      strip.value.textContent = decibels(Number(fader.value));
      sendGain(Number(fader.value));
    });
    // While a hand is on the fader the server's echoes (of older positions) must not
    // pull it back; once released it shows the server's value again.
    fader.addEventListener("pointerdown", () => (strip.dragging = true));
    const release = () => {
      strip.dragging = false;
      setTimeout(() => this.channel(this.current(id)), 4 * FADER_INTERVAL_MS);
    };
    fader.addEventListener("pointerup", release);
    fader.addEventListener("pointercancel", release);
    strip.mute.addEventListener("click", () => {
      const muted = strip.mute.getAttribute("aria-pressed") === "true";
      this.actions.send({ cmd: "audio.set", channel: id, muted: !muted });
    });
    this.strips.set(id, strip);
    return el(
      "div",
      { class: "strip", "data-channel": id },
      el(
        "span",
        { class: "name", title: id },
        source.label || id,
        el(
          "small",
          {},
          source.kind === "interpretation" && source.language
            ? t("strip.booth", { language: languageName(source.language) })
            : t("strip.floor"),
        ),
      ),
      el(
        "div",
        { class: "strip-body" },
        labelled(strip.meter, t("level.label", { name: source.label || id })),
        fader,
      ),
      strip.value,
      strip.mute,
      listenButton(`source:${id}`, this.actions),
      el("span", { class: "no-signal", hidden: true }, t("no_signal")),
    );
  }

  // A microphone or booth that stops delivering is silence in the mix: say so.
  source(status) {
    const strip = $("strips").querySelector(`[data-channel="${CSS.escape(status.id)}"]`);
    if (!strip) return;
    const lost = status.health === "lost";
    strip.classList.toggle("lost", lost);
    strip.querySelector(".no-signal").hidden = !lost;
  }

  current(id) {
    return this.state?.audio.find((entry) => entry.channel === id);
  }

  // A fader's state from the server.
  channel(status) {
    const strip = status && this.strips.get(status.channel);
    if (!strip) return;
    if (!strip.dragging) {
      if (this.fine) this.range(strip, status.gain_db);
      strip.fader.value = String(status.gain_db);
      strip.value.textContent = decibels(status.gain_db);
    }
    strip.mute.setAttribute("aria-pressed", String(status.muted));
    strip.mute.textContent = t(status.muted ? "muted" : "mute");
    strip.mute.closest(".strip")?.classList.toggle("muted", status.muted);
  }

  // About ten times a second.
  meters(message) {
    for (const input of message.inputs ?? []) {
      const strip = this.strips.get(input.channel);
      if (strip) setMeter(strip.meter, input.peak_db, input.rms_db);
    }
    for (const track of message.tracks ?? []) {
      const row = this.tracks.get(track.language);
      if (row) setMeter(row.meter, track.peak_db, track.rms_db);
      this.track(track);
    }
  }

  // Loudness and booth of one track (from a meters event or state.tracks).
  track(status) {
    const row = this.tracks.get(status.language);
    if (!row || !("momentary_lufs" in status)) return;
    row.momentary.textContent = `M ${decibels(status.momentary_lufs, "")}`;
    row.shortTerm.textContent = `S ${decibels(status.short_term_lufs, "")}`;
    if (status.language !== "floor") {
      row.booth.classList.toggle("speaking", Boolean(status.booth_speaking));
      row.booth.textContent = t(status.booth_speaking ? "booth.on" : "booth.off");
      row.booth.title = t(status.booth_speaking ? "booth.on.title" : "booth.off.title");
    }
  }

  // Which signal plays in this browser now ("" for none): its button shows it.
  listening(tap) {
    for (const button of document.querySelectorAll("button.listen")) {
      const on = button.dataset.tap === tap;
      button.setAttribute("aria-pressed", String(on));
      button.textContent = t(on ? "listening" : "listen");
    }
  }

  // What the operator calls a tap: a source's label, "EN track".
  tapName(tap) {
    if (tap.startsWith("track:")) return t("track.name", { language: languageName(tap.slice(6)) });
    const id = tap.slice(7);
    const source = this.state?.sources.find((entry) => entry.id === id);
    return source?.label || id;
  }
}

function listenButton(tap, actions) {
  return el(
    "button",
    {
      type: "button",
      class: "listen",
      "data-tap": tap,
      "aria-pressed": "false",
      title: t("listen.title"),
      onclick: () => actions.listen(tap),
    },
    t("listen"),
  );
}

function labelled(node, label) {
  node.setAttribute("aria-label", label);
  return node;
}

function meter() {
  return el(
    "div",
    { class: "meter", role: "meter", "aria-valuemin": "-60", "aria-valuemax": "0" },
    el("div", { class: "unlit" }),
    el("div", { class: "peak" }),
  );
}

// Bottom to top: the lit part shows the RMS level, the thin mark the peak.
function setMeter(node, peak, rms) {
  node.dataset.peak = String(peak);
  node.setAttribute("aria-valuenow", String(Math.max(-60, rms)));
  node.setAttribute("aria-valuetext", decibels(rms));
  node.firstChild.style.height = `${(1 - meterFraction(rms)) * 100}%`;
  node.lastChild.style.bottom = `${meterFraction(peak) * 100}%`;
}

// Calls `fn` at most once per `ms`, always with the latest arguments last.
function throttle(fn, ms) {
  let last = 0;
  let timer = 0;
  let latest = [];
  return (...args) => {
    latest = args;
    const wait = last + ms - Date.now();
    if (wait <= 0) {
      last = Date.now();
      fn(...latest);
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = 0;
        last = Date.now();
        fn(...latest);
      }, wait);
    }
  };
}
