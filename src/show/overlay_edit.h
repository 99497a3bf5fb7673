// Overlays made and edited while the show runs (overlay.create, overlay.update): the
// rules their words follow, shared by every wire format and by the engine, which
// applies them to the show's state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "show/commands.h"
#include "show/state.h"

namespace hallcast::show {

// Longest name or role, and longest title text, in characters: more is unreadable on
// air, and the renderer's cost grows with the text.
inline constexpr std::size_t max_name_chars = 200;
inline constexpr std::size_t max_text_chars = 400;

// Why `content` cannot be an overlay of `type`; nullopt when it can. A lower third needs
// a name (a role and forms in other languages are optional); a title or countdown needs
// a text and takes nothing else.
std::optional<std::string> content_problem(config::OverlayType type, const OverlayText& content);

// The overlay overlay.create makes, with its stable `number`.
OverlayStatus created_overlay(const OverlayCreate& create, std::uint32_t number);

// Applies `update` to `overlay`, or says why not (nothing is changed then).
Reply apply_update(OverlayStatus& overlay, const OverlayUpdate& update);

// Characters (UTF-8 code points) in `text`.
std::size_t utf8_length(std::string_view text);

}  // namespace hallcast::show
