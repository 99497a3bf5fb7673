// The vision side of the panel: the multiview, the scene buttons with their tally and
// the transitions. Tally shows what the server says; a click only sends a request.
import { $, el } from "./dom.js";
import { t } from "./i18n.js";

// "Cut to programme" stays armed for one cut, or this long, whichever comes first: an
// armed panel forgotten for minutes must not turn the next preview click into a cut.
const ARMED_MS = 10000;

export class Switcher {
  constructor(actions) {
    this.actions = actions;
    this.state = null;
    this.images = new Map(); // feed -> <img>
    this.urls = new Map(); // feed -> the blob: URL shown now
    this.armed = false;
    this.armTimer = 0;
    for (const feed of ["program", "preview"]) {
      this.images.set(feed, document.querySelector(`figure[data-feed="${feed}"] img`));
    }
    $("take").addEventListener("click", () => this.take("cut"));
    $("auto").addEventListener("click", () => this.take("fade"));
    $("hot-cut").addEventListener("click", () => this.arm(!this.armed));
    const fade = $("fade-ms");
    const saved = localStorage.getItem("hallcast.fade_ms");
    if (saved && [...fade.options].some((option) => option.value === saved)) fade.value = saved;
    fade.addEventListener("change", () => localStorage.setItem("hallcast.fade_ms", fade.value));
  }

  build(state) {
    this.state = state;
    $("scenes").replaceChildren(
      ...state.scenes.map((scene, i) =>
        el(
          "button",
          {
            type: "button",
            class: "scene",
            "data-scene": scene.id,
            title: i < 9 ? t("scene.key", { name: scene.name, key: i + 1 }) : scene.name,
            onclick: () => this.pick(scene.id),
          },
          i < 9 ? el("kbd", {}, String(i + 1)) : null,
          el("span", { class: "name" }, scene.name),
          // The tally in words as well as colour.
          el("span", { class: "scene-tally" }),
        ),
      ),
    );

    for (const feed of [...this.images.keys()]) {
      if (feed.startsWith("source:")) this.images.delete(feed);
    }
    const cameras = state.sources.filter((source) => source.kind === "video");
    $("sources").replaceChildren(
      ...cameras.map((source) => {
        const feed = `source:${source.id}`;
        const img = el("img", { alt: source.label || source.id });
        this.images.set(feed, img);
        return el(
          "figure",
          { class: "feed source", "data-feed": feed, "data-source": source.id },
          img,
          el("span", { class: "no-signal", hidden: true }, t("no_signal")),
          el("figcaption", {}, el("b", { class: "tally" }), source.label || source.id),
        );
      }),
    );
    for (const [feed, img] of this.images) {
      const url = this.urls.get(feed);
      if (url) img.src = url;
    }

    this.tally();
    state.sources.forEach((source) => this.source(source));
  }

  tally() {
    const { program, preview, scenes } = this.state;
    for (const button of $("scenes").children) {
      const onProgram = button.dataset.scene === program;
      const onPreview = button.dataset.scene === preview;
      button.classList.toggle("on-program", onProgram);
      button.classList.toggle("on-preview", onPreview);
      button.querySelector(".scene-tally").textContent = [
        onProgram ? t("tally.program") : "",
        onPreview ? t("tally.preview") : "",
      ]
        .filter(Boolean)
        .join(" ");
    }
    const shown = (id) => new Set(scenes.find((scene) => scene.id === id)?.sources ?? []);
    const onAir = shown(program);
    const next = shown(preview);
    for (const figure of $("sources").children) {
      const id = figure.dataset.source;
      const tally = onAir.has(id) ? "program" : next.has(id) ? "preview" : "";
      figure.classList.toggle("on-program", tally === "program");
      figure.classList.toggle("on-preview", tally === "preview");
      figure.dataset.tally = tally;
      figure.querySelector(".tally").textContent =
        tally === "program" ? t("tally.program") : tally === "preview" ? t("tally.preview") : "";
    }
    const name = (id) => scenes.find((scene) => scene.id === id)?.name ?? id ?? "";
    $("program-name").textContent = name(program);
    $("preview-name").textContent = name(preview);
  }

  source(status) {
    const figure = $("sources").querySelector(`[data-source="${CSS.escape(status.id)}"]`);
    if (!figure) return;
    const lost = status.health === "lost";
    figure.classList.toggle("lost", lost);
    figure.querySelector(".no-signal").hidden = !lost;
  }

  picture(feed, blob) {
    const img = this.images.get(feed);
    if (!img) return; // a feed this state does not know
    const url = URL.createObjectURL(blob);
    img.src = url;
    const previous = this.urls.get(feed);
    this.urls.set(feed, url);
    // The <img> has moved on to the new picture; the old one would stay in memory.
    if (previous) URL.revokeObjectURL(previous);
  }

  // A click on a scene: preview, or straight to programme when armed.
  pick(scene) {
    if (this.armed) {
      this.arm(false);
      this.actions.send({ cmd: "scene.cut", scene });
    } else {
      this.actions.send({ cmd: "scene.preview", scene });
    }
  }

  // Keys 1–9.
  previewNumber(n) {
    const scene = this.state?.scenes[n - 1];
    if (scene) this.actions.send({ cmd: "scene.preview", scene: scene.id });
  }

  take(type) {
    const duration_ms = type === "fade" ? Number($("fade-ms").value) : 0;
    this.actions.send({ cmd: "transition.take", type, duration_ms });
  }

  arm(on) {
    this.armed = on;
    clearTimeout(this.armTimer);
    if (on) this.armTimer = setTimeout(() => this.arm(false), ARMED_MS);
    $("hot-cut").setAttribute("aria-pressed", String(on));
    document.body.classList.toggle("armed", on);
  }
}
