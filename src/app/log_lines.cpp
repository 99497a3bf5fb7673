#include "app/log_lines.h"

#include <cctype>
#include <cstdio>

namespace hallcast::app {

namespace {

// The key under which messages are counted once the table is full: they are then
// limited together.
constexpr std::string_view overflow_key = "\x01other";

void append_hex(std::string& out, const char* format, unsigned value) {
  char buffer[8];
  std::snprintf(buffer, sizeof(buffer), format, value);
  out += buffer;
}

// The length of the UTF-8 sequence starting at `i` and its code point, or 0 if the
// bytes there are not well-formed UTF-8.
std::size_t utf8_sequence(std::string_view text, std::size_t i, char32_t& code) {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t length = 0;
  char32_t min = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, code = lead & 0x1F, min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, code = lead & 0x0F, min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, code = lead & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) {
    return 0;
  }
  for (std::size_t k = 1; k < length; ++k) {
    const auto c = static_cast<unsigned char>(text[i + k]);
    if ((c & 0xC0) != 0x80) {
      return 0;
    }
    code = (code << 6) | (c & 0x3F);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
    return 0;
  }
  return length;
}

}  // namespace

std::string escape_controls(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (std::size_t i = 0; i < line.size();) {
    const auto c = static_cast<unsigned char>(line[i]);
    if (c < 0x20 || c == 0x7F) {
      switch (c) {
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          append_hex(out, "\\x%02x", c);
      }
      ++i;
      continue;
    }
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    char32_t code = 0;
    const std::size_t length = utf8_sequence(line, i, code);
    if (length == 0) {
      append_hex(out, "\\x%02x", c);
      ++i;
      continue;
    }
    // C1 controls (NEL among them) and the Unicode line and paragraph separators end a
    // line for some viewers.
    if (code <= 0x9F || code == 0x2028 || code == 0x2029) {
      append_hex(out, "\\u%04x", static_cast<unsigned>(code));
    } else {
      out.append(line.substr(i, length));
    }
    i += length;
  }
  return out;
}

std::string repeat_key(int level, std::string_view message) {
  std::string key = std::to_string(level) + ' ';
  for (std::size_t i = 0; i < message.size();) {
    if (std::isdigit(static_cast<unsigned char>(message[i]))) {
      const bool hex = message[i] == '0' && i + 1 < message.size() &&
                       (message[i + 1] == 'x' || message[i + 1] == 'X');
      i += hex ? 2 : 1;
      while (i < message.size() && (hex ? std::isxdigit(static_cast<unsigned char>(message[i]))
                                        : std::isdigit(static_cast<unsigned char>(message[i])))) {
        ++i;
      }
      key += '#';
      continue;
    }
    key += message[i++];
  }
  return key;
}

RepeatLimiter::RepeatLimiter(Settings settings) : settings_(settings) {}

RepeatLimiter::Entry& RepeatLimiter::entry_for(int level, std::string_view message,
                                               Clock::time_point now) {
  std::string key = repeat_key(level, message);
  if (auto it = entries_.find(key); it != entries_.end()) {
    return it->second;
  }
  if (entries_.size() >= settings_.max_messages) {
    // Forget the messages that have been quiet for a window and have nothing held.
    std::erase_if(entries_, [&](const auto& e) {
      return e.second.held == 0 && now - e.second.window_start >= settings_.window;
    });
  }
  if (entries_.size() >= settings_.max_messages) {
    key = std::string(overflow_key);
  }
  auto [it, inserted] = entries_.try_emplace(std::move(key));
  if (inserted) {
    it->second.level = level;
    it->second.window_start = now;
  }
  return it->second;
}

RepeatLimiter::Decision RepeatLimiter::admit(int level, std::string_view message,
                                             Clock::time_point now) {
  Entry& entry = entry_for(level, message, now);
  Decision decision;
  if (now - entry.window_start >= settings_.window) {
    entry.window_start = now;
    entry.written = 0;
  }
  if (entry.written < settings_.per_window) {
    ++entry.written;
    decision.write = true;
    if (entry.held > 0) {
      decision.held_before = entry.held;
      decision.held_sample = std::move(entry.sample);
      entry.held = 0;
      entry.sample.clear();
    }
    return decision;
  }
  if (entry.held++ == 0) {
    entry.sample = message;
  }
  return decision;
}

std::vector<RepeatLimiter::Held> RepeatLimiter::take_expired(Clock::time_point now) {
  std::vector<Held> expired;
  if (now < next_sweep_) {
    return expired;
  }
  next_sweep_ = now + settings_.window;
  for (auto it = entries_.begin(); it != entries_.end();) {
    Entry& entry = it->second;
    if (now - entry.window_start < settings_.window) {
      ++it;
      continue;
    }
    if (entry.held > 0) {
      expired.push_back({entry.level, std::move(entry.sample), entry.held});
    }
    it = entries_.erase(it);
  }
  return expired;
}

}  // namespace hallcast::app
