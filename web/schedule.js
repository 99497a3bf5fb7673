// The show's clock and its cue list: the time of day in the event's own time zone, the
// time to the start (or since it), the next cue with Skip and Run now, and the whole
// list in a dialog. Everything comes from the server's state and `cue` events; the
// buttons only send cue.skip / cue.run (docs/protocol.md).
import { $, el, languageName } from "./dom.js";
import { STRINGS, t, timeOfDay } from "./i18n.js";

// How often the clock is redrawn: often enough that seconds never skip.
const TICK_MS = 200;

// "4:59" or "1:04:59": whole seconds, rounded up (as the programme's countdown shows).
export function clockDuration(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor(total / 60) % 60;
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

// The UTC offset of an ISO 8601 time, in minutes ("…+03:00" → 180); null without one.
function offsetMinutes(iso) {
  const match = /([+-])(\d\d):(\d\d)$/.exec(iso || "");
  if (match) return (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
  return /Z$/i.test(iso || "") ? 0 : null;
}

// A cue's command as an operator reads it, in the panel's language and with the names
// the show gives its scenes, captions and destinations ("cut to Wide", "start VK").
// A command the string tables have no words for is shown as the request it is
// ("audio.set mic1 -6").
export function describeCommand(command, state) {
  const { cmd, ...fields } = command || {};
  if (!(`cmd.${cmd}` in STRINGS.en)) {
    return [cmd, ...Object.values(fields).map((value) => String(value))].join(" ");
  }
  const named = (list, id, key) => list?.find((entry) => entry.id === id)?.[key] || id;
  return t(`cmd.${cmd}`, {
    scene: named(state?.scenes, fields.scene, "name"),
    overlay: named(state?.overlays, fields.overlay, "label"),
    output: named(state?.outputs, fields.output, "name"),
    language: fields.language ? languageName(fields.language) : "",
    type: t(fields.type === "fade" ? "transition.fade" : "transition.cut"),
  });
}

export class Schedule {
  constructor(actions) {
    this.actions = actions;
    this.state = null;
    this.cues = [];
    this.event = null;
    this.offset = null;
    this.enabled = false;
    $("next-skip").addEventListener("click", () => this.skip(this.next()?.index));
    $("next-run").addEventListener("click", () => this.runNow(this.next()?.index));
    $("open-cues").addEventListener("click", () => $("cues").showModal());
    setInterval(() => this.tick(), TICK_MS);
  }

  build(state) {
    this.state = state;
    this.event = state.event_info || null;
    this.offset = offsetMinutes(this.event?.start);
    this.cues = (state.schedule || []).slice();
    this.renderList();
    this.tick();
  }

  // A `cue` event: one cue ran, failed or was skipped.
  cue(entry) {
    const index = this.cues.findIndex((cue) => cue.index === entry.index);
    if (index < 0) return false;
    this.cues[index] = entry;
    this.renderList();
    this.tick();
    return true;
  }

  setEnabled(enabled) {
    this.enabled = enabled;
    this.tick();
    for (const button of $("cue-list").querySelectorAll("button")) button.disabled = !enabled;
  }

  // The next cue to run: the earliest waiting one (list order breaks a tie).
  next() {
    const waiting = this.cues.filter((cue) => cue.status === "pending");
    waiting.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.index - b.index);
    return waiting[0] || null;
  }

  tick() {
    const now = Date.now();
    $("clock-time").textContent = timeOfDay(now, this.offset);
    const start = this.event?.start ? Date.parse(this.event.start) : NaN;
    const toStart = $("clock-start");
    if (Number.isNaN(start)) {
      toStart.textContent = t("clock.no_start");
      toStart.dataset.phase = "none";
    } else if (now < start) {
      toStart.textContent = t("clock.starts_in", { time: clockDuration(start - now) });
      toStart.dataset.phase = "before";
    } else {
      toStart.textContent = t("clock.started", { time: clockDuration(now - start) });
      toStart.dataset.phase = "after";
    }
    const next = this.next();
    const box = $("next-cue");
    box.hidden = this.cues.length === 0;
    $("next-skip").disabled = !next || !this.enabled;
    $("next-run").disabled = !next || !this.enabled;
    $("open-cues").disabled = this.cues.length === 0;
    if (!next) {
      box.dataset.cue = "";
      $("next-cue-text").textContent = t("cue.none");
      $("next-cue-text").title = "";
      return;
    }
    const due = Date.parse(next.at);
    box.dataset.cue = String(next.index);
    const text = $("next-cue-text");
    text.textContent = t("cue.next", {
      time: timeOfDay(due, this.offset),
      what: describeCommand(next.command, this.state),
      when: due > now ? t("cue.in", { time: clockDuration(due - now) }) : t("cue.due"),
    });
    text.title = text.textContent; // in full, where the bar cuts it short
  }

  renderList() {
    const list = $("cue-list");
    if (this.cues.length === 0) {
      list.replaceChildren(el("tr", {}, el("td", { colSpan: 6 }, t("cues.empty"))));
      return;
    }
    list.replaceChildren(
      ...this.cues.map((cue) => {
        const waiting = cue.status === "pending";
        const status = el("td", { class: "status" }, t(`cue.${cue.status}`));
        if (cue.status === "failed") status.title = cue.message || cue.error || "";
        if (cue.status === "passed") status.title = t("cue.passed.title");
        return el(
          "tr",
          { "data-cue": String(cue.index), "data-status": cue.status },
          el("td", {}, String(cue.index)),
          el("td", { class: "time" }, timeOfDay(Date.parse(cue.at), this.offset)),
          el("td", { class: "written" }, cue.at_written || ""),
          el("td", { class: "command" }, describeCommand(cue.command, this.state)),
          status,
          el(
            "td",
            { class: "actions" },
            waiting
              ? el("button", {
                  type: "button",
                  class: "skip",
                  disabled: !this.enabled,
                  onclick: () => this.skip(cue.index),
                  textContent: t("cue.skip"),
                })
              : null,
            el("button", {
              type: "button",
              class: "run",
              disabled: !this.enabled,
              onclick: () => this.runNow(cue.index),
              textContent: t("cue.run"),
            }),
          ),
        );
      }),
    );
  }

  skip(index) {
    if (index === undefined || !this.enabled) return;
    this.actions.send({ cmd: "cue.skip", cue: index });
  }

  async runNow(index) {
    const cue = this.cues.find((entry) => entry.index === index);
    if (!cue || !this.enabled) return;
    const inDialog = $("cues").open;
    if (inDialog) $("cues").close();
    const sure = await this.actions.confirm(
      t("cue.confirm_run", { what: describeCommand(cue.command, this.state) }),
      [],
      t("cue.run"),
    );
    if (sure) this.actions.send({ cmd: "cue.run", cue: index });
    if (inDialog) $("cues").showModal();
  }
}
