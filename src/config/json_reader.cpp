// Typed access to JSON object members with problems reported by path.
#include "config/json_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>

namespace hallcast::config {
namespace {

// Optimal string alignment distance: like Levenshtein, but a swapped pair of
// neighbouring letters (`kye` for `key`) counts as one edit, as typists make them.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) {
    d[i][0] = i;
  }
  for (std::size_t j = 0; j <= b.size(); ++j) {
    d[0][j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// A typo such as `disable` for `enabled` silently does nothing in a lenient loader;
// naming the key that was probably meant makes the error quick to fix.
std::string closest(std::string_view key, const std::vector<std::string>& known) {
  std::string best;
  std::size_t best_distance = 3;  // more than two edits is a different word
  for (const std::string& candidate : known) {
    const std::size_t distance = edit_distance(key, candidate);
    // On one-letter keys (x, y, w, h) any other letter is one edit away: no guess.
    const bool plausible = 2 * distance <= std::max(key.size(), candidate.size());
    if (plausible && distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

// Longest texts, in characters (code points) for what people read, in bytes for the rest.
constexpr std::size_t kMaxValueBytes = 4096;
constexpr std::size_t kMaxLineCharacters = 200;
constexpr std::size_t kMaxParagraphCharacters = 400;

// The code point starting at text[i] (text is valid UTF-8: the JSON parser checked it),
// and how many bytes it takes.
std::pair<char32_t, std::size_t> code_point_at(std::string_view text, std::size_t i) {
  const auto byte = static_cast<unsigned char>(text[i]);
  const std::size_t size = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4;
  char32_t point = size == 1 ? byte : byte & (0x7F >> size);
  for (std::size_t k = 1; k < size && i + k < text.size(); ++k) {
    point = (point << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  }
  return {point, size};
}

bool is_control(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029;
}

// Embeddings, overrides and isolates: invisible, and they reorder what follows.
bool is_direction_override(char32_t c) {
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

std::string code_point_name(char32_t c) {
  char text[16];
  std::snprintf(text, sizeof text, "U+%04X", static_cast<unsigned>(c));
  return text;
}

// What is wrong with `content` as a `text`, or nothing.
std::optional<std::string> text_problem(std::string_view content, Text text) {
  if (text == Text::secret) {
    // Its characters are checked where its use is known, without echoing them.
    if (content.size() > kMaxValueBytes) {
      return "too long: at most " + std::to_string(kMaxValueBytes) + " bytes";
    }
    return std::nullopt;
  }
  std::size_t characters = 0;
  for (std::size_t i = 0; i < content.size();) {
    const auto [point, size] = code_point_at(content, i);
    ++characters;
    const bool line_break = point == '\n' && text == Text::paragraph;
    if (is_control(point) && !line_break) {
      return "control character " + code_point_name(point) + " at character " +
             std::to_string(characters) + " is not allowed";
    }
    if (is_direction_override(point)) {
      return "invisible direction control " + code_point_name(point) + " at character " +
             std::to_string(characters) + " is not allowed";
    }
    i += size;
  }
  if (text == Text::value) {
    if (content.size() > kMaxValueBytes) {
      return "too long: " + std::to_string(content.size()) + " bytes, at most " +
             std::to_string(kMaxValueBytes);
    }
    return std::nullopt;
  }
  const std::size_t limit = text == Text::paragraph ? kMaxParagraphCharacters : kMaxLineCharacters;
  if (characters > limit) {
    return "too long: " + std::to_string(characters) + " characters, at most " +
           std::to_string(limit);
  }
  return std::nullopt;
}

}  // namespace

std::string describe(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string:
      return quote(value.get_ref<const std::string&>());
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::null:
      return "null";
    default:
      return value.dump();
  }
}

std::string describe_type(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string:
      return "a string";
    case Json::value_t::boolean:
      return "true or false";
    case Json::value_t::null:
      return "null";
    case Json::value_t::object:
    case Json::value_t::array:
      return describe(value);
    default:
      return "a number";
  }
}

ObjectReader::ObjectReader(const Json& value, std::string path, Problems& problems)
    : path_(std::move(path)), problems_(problems) {
  if (value.is_object()) {
    object_ = &value;
  } else {
    problems_.add(path_, "expected an object, got " + describe(value));
  }
}

const Json* ObjectReader::find(std::string_view key, Need need) {
  known_.emplace_back(key);
  if (object_ == nullptr) {
    return nullptr;
  }
  const auto it = object_->find(key);
  if (it == object_->end()) {
    if (need == Need::required) {
      problems_.add(path_of(key), "missing required key");
    }
    return nullptr;
  }
  return &*it;
}

void ObjectReader::wrong_type(std::string_view key, std::string_view expected, const Json& value,
                              bool secret) {
  problems_.add(path_of(key), "expected " + std::string(expected) + ", got " +
                                  (secret ? describe_type(value) : describe(value)));
}

bool ObjectReader::string(std::string_view key, std::string& out, Need need, Text text) {
  const Json* value = find(key, need);
  if (value == nullptr) {
    return false;
  }
  if (!value->is_string()) {
    wrong_type(key, "a string", *value, text == Text::secret);
    return false;
  }
  const auto& content = value->get_ref<const std::string&>();
  if (content.empty() && text != Text::line) {
    problems_.add(path_of(key), "must not be empty");
    return false;
  }
  if (auto problem = text_problem(content, text)) {
    problems_.add(path_of(key), *problem);
    return false;
  }
  out = content;
  return true;
}

bool ObjectReader::whole_number(std::string_view key, int& out, Need need) {
  const Json* value = find(key, need);
  if (value == nullptr) {
    return false;
  }
  if (!value->is_number()) {
    wrong_type(key, "a whole number", *value);
    return false;
  }
  // JSON does not tell 30 from 30.0; both mean thirty frames. 29.97 is not whole.
  const double number = value->get<double>();
  if (number != std::floor(number)) {
    wrong_type(key, "a whole number", *value);
    return false;
  }
  if (number < std::numeric_limits<int>::min() || number > std::numeric_limits<int>::max()) {
    problems_.add(path_of(key), "out of range, got " + describe(*value));
    return false;
  }
  out = static_cast<int>(number);
  return true;
}

bool ObjectReader::number(std::string_view key, double& out, Need need) {
  const Json* value = find(key, need);
  if (value == nullptr) {
    return false;
  }
  if (!value->is_number()) {
    wrong_type(key, "a number", *value);
    return false;
  }
  out = value->get<double>();
  return true;
}

bool ObjectReader::boolean(std::string_view key, bool& out, Need need) {
  const Json* value = find(key, need);
  if (value == nullptr) {
    return false;
  }
  if (!value->is_boolean()) {
    wrong_type(key, "true or false", *value);
    return false;
  }
  out = value->get<bool>();
  return true;
}

const Json* ObjectReader::array(std::string_view key, Need need) {
  const Json* value = find(key, need);
  if (value != nullptr && !value->is_array()) {
    wrong_type(key, "an array", *value);
    return nullptr;
  }
  return value;
}

const Json* ObjectReader::object(std::string_view key, Need need) {
  const Json* value = find(key, need);
  if (value != nullptr && !value->is_object()) {
    wrong_type(key, "an object", *value);
    return nullptr;
  }
  return value;
}

std::vector<std::string> ObjectReader::keys() const {
  std::vector<std::string> out;
  if (object_ != nullptr) {
    for (const auto& [key, value] : object_->items()) {
      out.push_back(key);
    }
  }
  return out;
}

void ObjectReader::reject_unknown_keys() {
  if (object_ == nullptr) {
    return;
  }
  for (const auto& [key, value] : object_->items()) {
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) {
      continue;
    }
    std::string message = "unknown key";
    if (const std::string guess = closest(key, known_); !guess.empty()) {
      message += "; did you mean " + quote(guess) + "?";
    }
    problems_.add(path_of(key), message);
  }
}

}  // namespace hallcast::config
