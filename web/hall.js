// The hall's cameras on the panel: a PTZ pad for the camera of the scene on preview
// (arrows that drive while held, zoom, the presets scenes use, Store), its link and any
// preset held back while the camera is live; and the AUTO button of the automatic
// director with the speaker it follows (docs/hall-cameras.md). Drawn from the server's
// state only.
import { $, el } from "./dom.js";
import { t, translatePage } from "./i18n.js";

// Drive speed of the arrows and zoom buttons (-1..1 on the wire).
const SPEED = 0.5;

export class HallDesk {
  constructor(actions) {
    this.actions = actions;
    this.state = null;
    this.camera = ""; // the source id the pad drives
    this.storing = false;
    this.driving = false;
    this.parts = ""; // which parts the section holds: "ptz", "auto", "ptz+auto" or ""
  }

  build(state) {
    this.state = state;
    state.ptz ??= [];
    state.auto ??= { available: false, enabled: false, speaker: "" };
    const parts = [state.ptz.length > 0 ? "ptz" : "", state.auto.available ? "auto" : ""]
      .filter(Boolean)
      .join("+");
    if (parts !== this.parts) this.fill(parts);
    this.update();
  }

  // Builds the section from its template with only the parts this show has, so that a
  // show without PTZ cameras or an auto director has none of their controls.
  fill(parts) {
    this.parts = parts;
    const section = $("hall");
    section.hidden = parts === "";
    section.replaceChildren();
    if (parts === "") return;
    section.append($("hall-parts").content.cloneNode(true));
    translatePage(section);
    if (!parts.includes("ptz")) {
      for (const id of ["ptz-pad", "ptz-cameras", "ptz-none", "ptz-held"]) $(id).remove();
    }
    if (!parts.includes("auto")) section.querySelector(".auto-row").remove();
    for (const [id, pan, tilt, zoom] of [
      ["ptz-up", 0, SPEED, 0],
      ["ptz-down", 0, -SPEED, 0],
      ["ptz-left", -SPEED, 0, 0],
      ["ptz-right", SPEED, 0, 0],
      ["ptz-zoom-in", 0, 0, SPEED],
      ["ptz-zoom-out", 0, 0, -SPEED],
    ]) {
      const button = $(id);
      if (!button) continue;
      button.addEventListener("pointerdown", (event) => {
        button.setPointerCapture?.(event.pointerId);
        this.drive(pan, tilt, zoom);
      });
      for (const end of ["pointerup", "pointercancel", "lostpointercapture"]) {
        button.addEventListener(end, () => this.stop());
      }
    }
    $("ptz-store")?.addEventListener("click", () => this.arm(!this.storing));
    $("auto-director")?.addEventListener("click", () => {
      this.actions.send({ cmd: "auto.set", enabled: !this.state.auto.enabled });
    });
  }

  // The cameras of the scene on preview that have a PTZ head.
  previewCameras() {
    const scene = this.state.scenes.find((s) => s.id === this.state.preview);
    const heads = new Set(this.state.ptz.map((p) => p.source));
    return (scene?.sources ?? []).filter((id) => heads.has(id));
  }

  update() {
    if (!this.state || this.parts === "") return;
    const cameras = this.previewCameras();
    if (!cameras.includes(this.camera)) {
      this.stop();
      this.camera = cameras[0] ?? "";
      this.arm(false);
    }
    if (this.parts.includes("ptz")) {
      this.drawCameras(cameras);
      this.drawPad();
    } else {
      $("ptz-link").textContent = "";
    }
    if (this.parts.includes("auto")) this.drawAuto();
  }

  drawCameras(cameras) {
    const label = (id) => this.state.sources.find((s) => s.id === id)?.label || id;
    $("ptz-cameras").replaceChildren(
      ...cameras.map((id) =>
        el(
          "button",
          {
            type: "button",
            class: "ptz-camera",
            "aria-pressed": String(id === this.camera),
            onclick: () => {
              this.stop();
              this.camera = id;
              this.update();
            },
          },
          label(id),
        ),
      ),
    );
  }

  drawPad() {
    const status = this.state.ptz.find((p) => p.source === this.camera);
    $("ptz-pad").classList.toggle("idle", !status);
    for (const button of $("ptz-pad").querySelectorAll("button")) {
      button.disabled = !status;
    }
    $("ptz-none").hidden = Boolean(status);
    const link = $("ptz-link");
    link.dataset.link = status ? status.link : "";
    link.textContent = status ? t(status.link === "ok" ? "ptz.link.ok" : "ptz.link.no_reply") : "";
    $("ptz-held").hidden = !(status && status.held !== null && status.held !== undefined);
    $("ptz-held").textContent = status ? t("ptz.held", { preset: status.held }) : "";

    // The presets scenes use on this camera, and the one on preview's first.
    const numbers = new Set();
    for (const scene of this.state.scenes) {
      for (const preset of scene.presets ?? []) {
        if (preset.source === this.camera) numbers.add(preset.preset);
      }
    }
    if (status && status.preset !== null && status.preset !== undefined) {
      numbers.add(status.preset);
    }
    const sorted = [...numbers].sort((a, b) => a - b);
    $("ptz-presets").replaceChildren(
      ...sorted.map((n) =>
        el(
          "button",
          {
            type: "button",
            class: "ptz-preset",
            "aria-pressed": String(status?.preset === n),
            "data-preset": String(n),
            disabled: !status,
            onclick: () => this.preset(n),
          },
          String(n),
        ),
      ),
    );
  }

  drawAuto() {
    const auto = this.state.auto;
    const button = $("auto-director");
    button.setAttribute("aria-pressed", String(auto.enabled));
    const speaker = this.state.sources.find((s) => s.id === auto.speaker);
    $("auto-speaker").textContent = !auto.enabled
      ? ""
      : auto.speaker
        ? t("auto_director.following", { name: speaker?.label || auto.speaker })
        : t("auto_director.fallback");
  }

  arm(on) {
    this.storing = on;
    $("ptz-store")?.setAttribute("aria-pressed", String(on));
  }

  preset(n) {
    if (!this.camera) return;
    const cmd = this.storing ? "ptz.store" : "ptz.recall";
    this.arm(false);
    this.actions.send({ cmd, source: this.camera, preset: n });
  }

  drive(pan, tilt, zoom) {
    if (!this.camera) return;
    this.driving = true;
    this.actions.send({ cmd: "ptz.move", source: this.camera, pan, tilt, zoom });
  }

  stop() {
    if (!this.driving || !this.camera) return;
    this.driving = false;
    this.actions.send({ cmd: "ptz.move", source: this.camera, pan: 0, tilt: 0, zoom: 0 });
  }

  // An event from the server: "ptz" (one camera) or "auto".
  ptz(body) {
    if (!this.state) return false;
    const index = this.state.ptz.findIndex((p) => p.source === body.source);
    if (index < 0) return false;
    this.state.ptz[index] = body;
    this.update();
    return true;
  }

  auto(body) {
    if (!this.state) return;
    const { reason, ...status } = body;
    this.state.auto = status;
    this.update();
    if (reason === "manual") this.actions.notify(t("auto_director.off"));
  }
}
