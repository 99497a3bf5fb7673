// The destinations: a row each with its state light, language, counters and start/stop,
// and "Go live" / "Stop all" for every one at once. Anything that takes a stream off
// the air asks first.
import { $, duration, el, languageName } from "./dom.js";

const RUNNING = new Set(["connecting", "live", "reconnecting"]);

export class Destinations {
  constructor(actions) {
    this.actions = actions;
    this.state = null;
    this.rows = new Map(); // id -> {row, light, status, numbers, error, button, language}
    $("go-live").addEventListener("click", () => this.goLive());
    $("stop-all").addEventListener("click", () => this.stopAll());
  }

  build(state) {
    this.state = state;
    this.rows.clear();
    $("outputs").replaceChildren(...state.outputs.map((output) => this.row(state, output)));
    state.outputs.forEach((output) => this.update(output));
  }

  row(state, output) {
    const id = output.id;
    let language;
    // Only an RTMP destination carries one language; the others carry every track.
    if (output.type === "rtmp") {
      language = el(
        "select",
        { class: "language", "aria-label": `${output.name || id} language` },
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
      const title = "carries every language track";
      language = el("span", { class: "language all", title }, "all");
    }
    const parts = {
      light: el("span", { class: "light" }),
      status: el("span", { class: "status" }),
      numbers: el("span", { class: "numbers" }),
      error: el("span", { class: "error" }),
      button: el("button", { type: "button", class: "start-stop" }),
      language,
    };
    parts.button.addEventListener("click", () => this.startStop(id));
    parts.row = el(
      "div",
      { class: "output", "data-output": id },
      parts.light,
      el("span", { class: "name" }, output.name || id, el("small", {}, ` ${output.type}`)),
      parts.status,
      language,
      parts.button,
      el("span", { class: "stats" }, parts.numbers, parts.error),
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
    parts.row.dataset.state = output.state;
    parts.light.title = output.state;
    parts.status.textContent = output.state;
    if (parts.language.tagName === "SELECT" && parts.language.value !== output.language) {
      parts.language.value = output.language;
    }
    const running = RUNNING.has(output.state);
    parts.button.textContent = running ? "Stop" : "Start";
    parts.button.classList.toggle("stop", running);
    const bitrate = `${Math.round(output.bitrate_kbps || 0)} kb/s`;
    const uptime = `up ${duration(output.uptime_s)}`;
    parts.numbers.textContent = `${bitrate} · ${uptime} · ${output.reconnects} reconnects`;
    parts.error.textContent = output.last_error || "";
    parts.error.parentElement.title = output.last_error || "";
  }

  async startStop(id) {
    const output = this.current(id);
    if (!output) return;
    if (!RUNNING.has(output.state)) {
      this.actions.send({ cmd: "output.start", output: id });
      return;
    }
    if (output.state === "live") {
      const sure = await this.actions.confirm(`Take ${output.name || id} off the air?`, [], "Stop");
      if (!sure) return;
    }
    this.actions.send({ cmd: "output.stop", output: id });
  }

  async goLive() {
    // A destination that is connecting or reconnecting is already on its way.
    const waiting = this.state.outputs.filter((output) => !RUNNING.has(output.state));
    if (waiting.length === 0) {
      this.actions.notify("Every destination is already running.");
      return;
    }
    const names = waiting.map((output) => `${output.name || output.id} (${output.state})`);
    const sure = await this.actions.confirm(
      `Start ${waiting.length} destination${waiting.length > 1 ? "s" : ""}?`,
      names,
      "Go live",
    );
    if (!sure) return;
    for (const output of waiting) this.actions.send({ cmd: "output.start", output: output.id });
  }

  async stopAll() {
    const running = this.state.outputs.filter((output) => output.state !== "idle");
    if (running.length === 0) {
      this.actions.notify("No destination is running.");
      return;
    }
    const names = running.map((output) => `${output.name || output.id} (${output.state})`);
    const sure = await this.actions.confirm(
      `Stop ${running.length} destination${running.length > 1 ? "s" : ""}? They go off the air.`,
      names,
      "Stop all",
    );
    if (!sure) return;
    for (const output of running) this.actions.send({ cmd: "output.stop", output: output.id });
  }
}
