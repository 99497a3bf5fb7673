#include "show/overlay_edit.h"

#include <algorithm>

namespace hallcast::show {
namespace {

std::string type_name(config::OverlayType type) {
  return std::string(config::to_string(type));
}

std::optional<std::string> too_long(const char* field, const std::string& value,
                                    std::size_t limit) {
  if (utf8_length(value) > limit) {
    return std::string(field) + " is longer than " + std::to_string(limit) + " characters";
  }
  return std::nullopt;
}

}  // namespace

std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::optional<std::string> content_problem(config::OverlayType type, const OverlayText& content) {
  if (type == config::OverlayType::lower_third) {
    if (content.name.empty()) {
      return std::string("a lower third needs a name");
    }
    if (!content.text.empty()) {
      return std::string("a lower third shows a name and role; it takes no text");
    }
    if (auto problem = too_long("the name", content.name, max_name_chars)) {
      return problem;
    }
    if (auto problem = too_long("the role", content.role, max_name_chars)) {
      return problem;
    }
    for (const auto& form : content.forms) {
      if (form.name.empty() && form.role.empty()) {
        return "the " + form.language + " form has neither a name nor a role";
      }
      if (auto problem = too_long("a name", form.name, max_name_chars)) {
        return problem;
      }
      if (auto problem = too_long("a role", form.role, max_name_chars)) {
        return problem;
      }
    }
    return std::nullopt;
  }
  if (content.text.empty()) {
    return "a " + type_name(type) + " needs a text";
  }
  if (!content.name.empty() || !content.role.empty() || !content.forms.empty()) {
    return "a " + type_name(type) + " shows a text; it takes no name or role";
  }
  return too_long("the text", content.text, max_text_chars);
}

OverlayStatus created_overlay(const OverlayCreate& create, std::uint32_t number) {
  OverlayStatus overlay;
  overlay.id = create.overlay;
  overlay.type = create.type;
  overlay.content = create.content;
  overlay.label = overlay_label(create.type, create.content);
  overlay.number = number;
  overlay.created = true;
  return overlay;
}

Reply apply_update(OverlayStatus& overlay, const OverlayUpdate& update) {
  if (update.type && *update.type != overlay.type) {
    return Reply::failure(ErrorCode::bad_value,
                          "overlay \"" + overlay.id + "\" is a " + type_name(overlay.type) +
                              "; delete it and create it anew to change its type");
  }
  OverlayText next = overlay.content;
  if (update.name) {
    next.name = *update.name;
  }
  if (update.role) {
    next.role = *update.role;
  }
  if (update.text) {
    next.text = *update.text;
  }
  for (const FormEdit& edit : update.forms) {
    auto form = std::find_if(next.forms.begin(), next.forms.end(),
                             [&](const auto& f) { return f.language == edit.language; });
    if (form == next.forms.end()) {
      form = next.forms.insert(next.forms.end(), config::SpeakerForm{edit.language, "", ""});
    }
    if (edit.name) {
      form->name = *edit.name;
    }
    if (edit.role) {
      form->role = *edit.role;
    }
    if (form->name.empty() && form->role.empty()) {
      next.forms.erase(form);  // both cleared: the form is gone
    }
  }
  if (auto problem = content_problem(overlay.type, next)) {
    return Reply::failure(ErrorCode::bad_value, "overlay \"" + overlay.id + "\": " + *problem);
  }
  overlay.content = std::move(next);
  overlay.label = overlay_label(overlay.type, overlay.content);
  return Reply::success();
}

}  // namespace hallcast::show
