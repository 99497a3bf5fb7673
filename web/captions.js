// The captions: a button per overlay (on or off air), and a form to make a caption live
// (a questioner from the floor) or to correct one's words (a title, a speaker's role),
// in any script. The buttons and the form only send overlay.* requests; what is shown
// is what the server reports (docs/protocol.md).
import { $, el } from "./dom.js";
import { onLanguage, t } from "./i18n.js";

// A language code of the second form: 2 or 3 lowercase letters.
const LANGUAGE = /^[a-z]{2,3}$/;

export class Captions {
  constructor(actions) {
    this.actions = actions;
    this.state = null;
    this.editing = null; // the overlay the form edits; null: a new one
    // The form's labels and buttons are the page's own (data-i18n); the type's options
    // are made here, and made again in a new language.
    this.typeOptions();
    onLanguage(() => this.typeOptions());
    $("caption-type").addEventListener("change", () => this.showFields($("caption-type").value));
    $("caption-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.save(event.submitter?.id === "caption-save-show");
    });
    $("caption-delete").addEventListener("click", () => this.remove());
    $("caption-cancel").addEventListener("click", () => $("caption-dialog").close());
  }

  // The types a caption can be made as, in the panel's language; a countdown is only
  // ever edited, never made here.
  typeOptions() {
    const select = $("caption-type");
    const value = select.value;
    const types = ["lower_third", "title"];
    if (this.editing?.type === "countdown") types.push("countdown");
    select.replaceChildren(
      ...types.map((type) => el("option", { value: type }, t(`overlay.${type}`))),
    );
    if (value) select.value = value;
  }

  build(state) {
    this.state = state;
    $("overlays").replaceChildren(
      ...state.overlays.map((overlay) =>
        el(
          "span",
          { class: "overlay-item", "data-overlay-item": overlay.id },
          el(
            "button",
            {
              type: "button",
              class: "overlay",
              "data-overlay": overlay.id,
              "aria-pressed": "false",
              onclick: () => this.toggle(overlay.id),
            },
            el("span", { class: "name" }, overlay.label || overlay.id),
            el("span", { class: "kind" }, t(`overlay.${overlay.type}`)),
            el("span", { class: "onair" }),
          ),
          el("button", {
            type: "button",
            class: "edit",
            title: t("caption.edit", { label: overlay.label || overlay.id }),
            "aria-label": t("caption.edit", { label: overlay.label || overlay.id }),
            onclick: () => this.open(overlay.id),
            textContent: "✎",
          }),
        ),
      ),
      el("button", {
        type: "button",
        id: "caption-new",
        class: "overlay-new",
        onclick: () => this.open(null),
        textContent: t("caption.new"),
      }),
    );
    state.overlays.forEach((overlay) => this.overlay(overlay));
  }

  // An `overlay` event for a known overlay: its button follows.
  overlay(status) {
    const button = $("overlays").querySelector(`button.overlay[data-overlay="${CSS.escape(status.id)}"]`);
    if (!button) return;
    button.setAttribute("aria-pressed", String(status.visible));
    button.classList.toggle("on", status.visible);
    button.querySelector(".name").textContent = status.label || status.id;
    button.querySelector(".onair").textContent = t(status.visible ? "overlay.on" : "overlay.off");
  }

  toggle(id) {
    const overlay = this.state?.overlays.find((entry) => entry.id === id);
    if (!overlay) return;
    this.actions.send({ cmd: overlay.visible ? "overlay.hide" : "overlay.show", overlay: id });
  }

  // The form, for overlay `id` or (null) a new caption.
  open(id) {
    const overlay = id === null ? null : this.state?.overlays.find((entry) => entry.id === id);
    if (id !== null && !overlay) return;
    this.editing = overlay;
    const type = overlay ? overlay.type : "lower_third";
    const select = $("caption-type");
    // A type is chosen when a caption is made.
    select.disabled = overlay !== null;
    this.typeOptions();
    select.value = type;
    const form = overlay?.forms?.[0];
    $("caption-name").value = overlay?.name ?? "";
    $("caption-role").value = overlay?.role ?? "";
    $("caption-language").value = form?.language ?? "";
    $("caption-name2").value = form?.name ?? "";
    $("caption-role2").value = form?.role ?? "";
    $("caption-text").value = overlay?.text ?? "";
    $("caption-heading").textContent = overlay
      ? t("caption.edit", { label: overlay.label || overlay.id })
      : t("caption.new.heading");
    $("caption-delete").hidden = overlay === null;
    $("caption-error").hidden = true;
    this.showFields(type);
    $("caption-dialog").showModal();
    (type === "lower_third" ? $("caption-name") : $("caption-text")).focus();
  }

  showFields(type) {
    const lowerThird = type === "lower_third";
    $("caption-lower-third").hidden = !lowerThird;
    $("caption-title").hidden = lowerThird;
    $("caption-text-hint").hidden = type !== "countdown";
  }

  // The request's words, as the form holds them.
  words(type) {
    if (type !== "lower_third") return { text: $("caption-text").value };
    const words = { name: $("caption-name").value.trim(), role: $("caption-role").value.trim() };
    const language = $("caption-language").value.trim().toLowerCase();
    // A second language given up or changed: its old words go.
    for (const form of this.editing?.forms ?? []) {
      if (form.language !== language) {
        words[`name_${form.language}`] = "";
        words[`role_${form.language}`] = "";
      }
    }
    if (LANGUAGE.test(language)) {
      const name = $("caption-name2").value.trim();
      const role = $("caption-role2").value.trim();
      if (this.editing || name) words[`name_${language}`] = name;
      if (this.editing || role) words[`role_${language}`] = role;
    }
    return words;
  }

  // A new caption's id: caption-1, caption-2, … whichever is free.
  freeId() {
    const taken = new Set(this.state?.overlays.map((overlay) => overlay.id));
    let n = 1;
    while (taken.has(`caption-${n}`)) n += 1;
    return `caption-${n}`;
  }

  async save(andShow) {
    const type = $("caption-type").value;
    const id = this.editing ? this.editing.id : this.freeId();
    const request = this.editing
      ? { cmd: "overlay.update", overlay: id, ...this.words(type) }
      : { cmd: "overlay.create", overlay: id, type, ...this.words(type) };
    const reply = await this.actions.send(request);
    if (!reply.ok) {
      // The form stays open to correct it, saying why (the toast is behind the dialog).
      $("caption-error").textContent = reply.message || reply.error;
      $("caption-error").hidden = false;
      return;
    }
    $("caption-dialog").close();
    if (andShow) this.actions.send({ cmd: "overlay.show", overlay: id });
  }

  async remove() {
    const overlay = this.editing;
    if (!overlay) return;
    $("caption-dialog").close();
    const sure = await this.actions.confirm(
      t("caption.confirm_delete", { label: overlay.label || overlay.id }),
      [],
      t("caption.delete"),
    );
    if (sure) this.actions.send({ cmd: "overlay.delete", overlay: overlay.id });
  }
}
