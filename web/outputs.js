// The destinations: a row each with its state and how long it has been in it, a
// sparkline of its bitrate over the last minutes, its reconnects and stalls, its last
// error with the time (only while it is not live), and start/stop. "Go live" starts
// every destination; "Stop all" stops the platforms but never the recording, which has
// a button of its own. Anything that takes a stream off the air asks first. A failed
// "Go live" lists every destination that failed and why, in the section itself, until
// each of them is live or stopped.
import { $, el, languageName } from "./dom.js";
import { ago, clock, number, plural, span, stateName, t } from "./i18n.js";

const RUNNING = new Set(["connecting", "live", "reconnecting"]);
// The sparkline: one point per output event (about one a second), five minutes.
const HISTORY_POINTS = 300;
// How long "Go live" waits for each destination before it reports those not live.
const GO_LIVE_WAIT_MS = 20000;
const SVG = "http://www.w3.org/2000/svg";

export class Destinations {
  constructor(actions) {
    this.actions = actions;
    this.state = null;
    this.rows = new Map(); // id -> {row, light, status, since, spark, numbers, error, button}
    this.history = new Map(); // id -> [kb/s], kept across rebuilds of the rows
    this.failures = new Map(); // id -> why "Go live" did not bring it on the air
    $("go-live").addEventListener("click", () => this.goLive());
    $("stop-all").addEventListener("click", () => this.stopAll());
    $("record").addEventListener("click", () => this.recordButton());
    // "live for 3:02" moves on between the server's events.
    setInterval(() => this.tick(), 1000);
  }

  build(state) {
    this.state = state;
    this.rows.clear();
    $("outputs").replaceChildren(...state.outputs.map((output) => this.row(state, output)));
    state.outputs.forEach((output) => this.update(output));
    $("record").hidden = this.recordings().length === 0;
  }

  recordings() {
    return (this.state?.outputs ?? []).filter((output) => output.type === "record");
  }

  row(state, output) {
    const id = output.id;
    let language;
    // Only an RTMP destination carries one language; the others carry every track.
    if (output.type === "rtmp") {
      language = el(
        "select",
        { class: "language", "aria-label": t("output.language", { name: output.name || id }) },
        ...state.languages.map((code) => el("option", { value: code }, languageName(code))),
      );
      language.addEventListener("change", async () => {
        const reply = await this.actions.send({
          cmd: "output.set_language",
          output: id,
          language: language.value,
        });
        if (!reply.ok) this.update(this.current(id)); // back to what the server has
      });
    } else {
      const title = t("carries_all.title");
      language = el("span", { class: "language all", title }, t("carries_all"));
    }
    const spark = document.createElementNS(SVG, "svg");
    spark.setAttribute("class", "spark");
    spark.setAttribute("viewBox", `0 0 ${HISTORY_POINTS} 20`);
    spark.setAttribute("preserveAspectRatio", "none");
    spark.setAttribute("role", "img");
    spark.append(document.createElementNS(SVG, "polyline"));
    const parts = {
      light: el("span", { class: "light", role: "img" }),
      status: el("span", { class: "status" }),
      since: el("span", { class: "since" }),
      spark,
      numbers: el("span", { class: "numbers" }),
      error: el("span", { class: "error" }),
      button: el("button", { type: "button", class: "start-stop" }),
      language,
    };
    parts.button.addEventListener("click", () => this.startStop(id));
    parts.row = el(
      "div",
      { class: "output", "data-output": id, "data-type": output.type },
      parts.light,
      el("span", { class: "name" }, output.name || id, el("small", {}, ` ${output.type}`)),
      el("span", { class: "status-box" }, parts.status, parts.since),
      language,
      parts.button,
      el("span", { class: "stats" }, parts.spark, parts.numbers, parts.error),
    );
    this.rows.set(id, parts);
    return parts.row;
  }

  current(id) {
    return this.state?.outputs.find((output) => output.id === id);
  }

  update(output) {
    const parts = output && this.rows.get(output.id);
    if (!parts) return;
    const name = output.name || output.id;
    parts.row.dataset.state = output.state;
    // Armed: not live at launch, waiting for a cue or the operator.
    const armed = output.state === "idle" && output.ready === true;
    parts.row.dataset.ready = String(armed);
    const status = armed ? t("state.ready") : stateName(output.state);
    parts.light.setAttribute("aria-label", `${name}: ${status}`);
    parts.light.title = armed ? t("state.ready.title") : status;
    parts.status.textContent = status;
    if (parts.language.tagName === "SELECT" && parts.language.value !== output.language) {
      parts.language.value = output.language;
    }
    const running = RUNNING.has(output.state);
    const recording = output.type === "record";
    parts.button.textContent = t(
      running ? (recording ? "record.row.stop" : "stop") : recording ? "record.row" : "start",
    );
    parts.button.classList.toggle("stop", running);

    this.remember(output);
    const bitrate = t("kbps", { value: number(Math.round(output.bitrate_kbps || 0)) });
    const troubles = [plural("reconnects", output.reconnects)];
    if (output.stalls) troubles.push(plural("stalls", output.stalls));
    parts.numbers.textContent = `${bitrate} · ${troubles.join(" · ")}`;
    // An error is news until the destination is live again.
    const error = output.state !== "live" && output.last_error ? output.last_error : "";
    const at = error && output.last_error_ms ? clock(output.last_error_ms) : "";
    parts.error.textContent = error ? `${at ? `${at} ` : ""}${error}` : "";
    parts.error.parentElement.title =
      error && output.last_error_ms ? `${error} (${ago(output.last_error_ms)})` : error;
    this.showSince(output, parts);

    // "Go live" reported it: the report goes once it is live or stopped.
    if (this.failures.has(output.id) && (output.state === "live" || output.state === "idle")) {
      this.failures.delete(output.id);
      this.report();
    }
    $("record").hidden = this.recordings().length === 0;
    const recordingNow = this.recordings().some((entry) => RUNNING.has(entry.state));
    $("record").textContent = t(recordingNow ? "record.stop" : "record");
    $("record").classList.toggle("recording", recordingNow);
  }

  // The bitrate history, one point per event.
  remember(output) {
    const history = this.history.get(output.id) ?? [];
    history.push(output.state === "live" ? output.bitrate_kbps || 0 : 0);
    if (history.length > HISTORY_POINTS) history.splice(0, history.length - HISTORY_POINTS);
    this.history.set(output.id, history);
    const parts = this.rows.get(output.id);
    if (!parts) return;
    const top = Math.max(1, ...history);
    const offset = HISTORY_POINTS - history.length;
    const points = history.map(
      (kbps, i) => `${offset + i},${(20 - (kbps / top) * 18 - 1).toFixed(1)}`,
    );
    parts.spark.firstChild.setAttribute("points", points.join(" "));
    parts.spark.setAttribute("aria-label", t("spark.label", { value: number(Math.round(top)) }));
  }

  showSince(output, parts) {
    if (!output.since_ms) {
      parts.since.textContent = "";
      return;
    }
    const seconds = Math.max(0, (Date.now() - output.since_ms) / 1000);
    parts.since.textContent = t("since", { duration: span(seconds) });
    parts.since.title = t("since.title", { time: clock(output.since_ms) });
  }

  tick() {
    for (const output of this.state?.outputs ?? []) {
      const parts = this.rows.get(output.id);
      if (parts) this.showSince(output, parts);
    }
  }

  async startStop(id) {
    const output = this.current(id);
    if (!output) return;
    if (!RUNNING.has(output.state)) {
      this.actions.send({ cmd: "output.start", output: id });
      return;
    }
    if (output.state === "live") {
      const sure = await this.actions.confirm(
        t("confirm.off_air", { name: output.name || id }),
        [],
        t("stop"),
      );
      if (!sure) return;
    }
    this.actions.send({ cmd: "output.stop", output: id });
  }

  async goLive() {
    // A destination that is connecting or reconnecting is already on its way.
    const waiting = this.state.outputs.filter((output) => !RUNNING.has(output.state));
    if (waiting.length === 0) {
      this.actions.notify(t("all_running"));
      return;
    }
    const names = waiting.map(
      (output) => `${output.name || output.id} (${stateName(output.state)})`,
    );
    const sure = await this.actions.confirm(
      plural("confirm.go_live", waiting.length),
      names,
      t("go_live").replace("…", ""),
    );
    if (!sure) return;
    this.failures.clear();
    this.report();
    const replies = await Promise.all(
      waiting.map((output) =>
        this.actions.send({ cmd: "output.start", output: output.id }, { quiet: true }),
      ),
    );
    waiting.forEach((output, i) => {
      if (!replies[i].ok) this.failures.set(output.id, replies[i].message || replies[i].error);
    });
    this.report();
    // Those that were started: live within the wait, or reported with their error.
    const started = waiting.filter((output, i) => replies[i].ok).map((output) => output.id);
    const deadline = Date.now() + GO_LIVE_WAIT_MS;
    const check = () => {
      const pending = [];
      for (const id of started) {
        const output = this.current(id);
        if (!output || output.state === "live" || output.state === "idle") continue;
        if (output.state === "error" || (output.state === "reconnecting" && output.last_error)) {
          this.failures.set(id, output.last_error || output.state);
        } else pending.push(id);
      }
      this.report();
      if (pending.length && Date.now() < deadline) setTimeout(check, 500);
      else {
        for (const id of pending) this.failures.set(id, t("not_live_yet"));
        this.report();
      }
    };
    check();
  }

  // The "Go live" report: every destination that failed and why.
  report() {
    const list = $("go-live-report");
    const items = [...this.failures].map(([id, why]) => {
      const output = this.current(id);
      return el("li", { "data-output": id }, el("b", {}, output?.name || id), ` — ${why}`);
    });
    list.querySelector("ul").replaceChildren(...items);
    list.hidden = items.length === 0;
  }

  async stopAll() {
    // The platforms; the recording goes on (it has a button of its own).
    const running = this.state.outputs.filter(
      (output) => output.state !== "idle" && output.type !== "record",
    );
    if (running.length === 0) {
      this.actions.notify(t("none_running"));
      return;
    }
    const names = running.map(
      (output) => `${output.name || output.id} (${stateName(output.state)})`,
    );
    const sure = await this.actions.confirm(
      plural("confirm.stop_all", running.length),
      names,
      t("stop_all").replace("…", ""),
    );
    if (!sure) return;
    for (const output of running) this.actions.send({ cmd: "output.stop", output: output.id });
  }

  async recordButton() {
    const recordings = this.recordings();
    const running = recordings.filter((output) => RUNNING.has(output.state));
    if (running.length === 0) {
      for (const output of recordings) this.actions.send({ cmd: "output.start", output: output.id });
      return;
    }
    const sure = await this.actions.confirm(
      t("confirm.stop_recording"),
      running.map((output) => output.name || output.id),
      t("record.row.stop"),
    );
    if (!sure) return;
    for (const output of running) this.actions.send({ cmd: "output.stop", output: output.id });
  }
}
