// Problem collection and the path/value formatting every problem message shares.
#include "config/problems.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace hallcast::config {
namespace {

// Whether `ancestor` is `path` itself or a value that contains it.
bool contains(std::string_view ancestor, std::string_view path) {
  if (ancestor == "$") {
    return true;
  }
  if (!path.starts_with(ancestor)) {
    return false;
  }
  if (path.size() == ancestor.size()) {
    return true;
  }
  const char next = path[ancestor.size()];
  return next == '.' || next == '[';
}

bool is_plain_key(std::string_view key) {
  if (key.empty()) {
    return false;
  }
  for (const char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) {
      return false;
    }
  }
  return true;
}

}  // namespace

void Problems::add(std::string path, std::string message) {
  if (reported(path)) {
    return;
  }
  list_.push_back(Problem{std::move(path), std::move(message)});
}

bool Problems::reported(std::string_view path) const {
  return std::any_of(list_.begin(), list_.end(),
                     [&](const Problem& problem) { return contains(problem.path, path); });
}

bool Problems::unreadable(std::string_view path) const {
  const std::size_t count = std::min(read_count_, list_.size());
  for (std::size_t i = 0; i < count; ++i) {
    if (contains(list_[i].path, path)) {
      return true;
    }
  }
  return false;
}

std::string member_path(std::string_view parent, std::string_view key) {
  // Keys that would make the path ambiguous (dots, brackets, spaces) are shown quoted.
  const std::string shown = is_plain_key(key) ? std::string(key) : "[" + quote(key) + "]";
  if (parent == "$") {
    return shown.starts_with("[") ? "$" + shown : shown;
  }
  return std::string(parent) + (shown.starts_with("[") ? "" : ".") + shown;
}

std::string index_path(std::string_view parent, std::size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

std::string quote(std::string_view text) {
  // Long values (a pasted paragraph, a whole URL) would drown the message.
  constexpr std::size_t kMaxShown = 60;
  std::string out = "\"";
  std::size_t shown = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const bool starts_character = (c & 0xC0) != 0x80;
    if (starts_character && shown++ == kMaxShown) {
      out += "…";
      break;
    }
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
  return out;
}

std::string format_number(double value) {
  // Whole numbers as written (100000, not 1e+05); others in the shortest exact form.
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<long long>(value));
  }
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

}  // namespace hallcast::config
