// JSON text → document, with positions for syntax errors and duplicate-key detection.
#include "config/json_text.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace hallcast::config {
namespace {

// How deep objects and arrays may nest. The deepest place in a config today is a
// layer's field, five levels down; this leaves room for what is to come.
constexpr int kMaxDepth = 32;

// Thrown out of the parser's callback to stop it at kMaxDepth.
struct TooDeep {};

// Where the parser is inside the document, so a duplicate key can be named by path.
class PathTracker {
 public:
  // Returns false when `key` was already written in the innermost object.
  bool on_key(const std::string& key) {
    Frame& frame = stack_.back();
    frame.key = key;
    if (std::find(frame.keys.begin(), frame.keys.end(), key) != frame.keys.end()) {
      return false;
    }
    frame.keys.push_back(key);
    return true;
  }
  void on_container_start(bool is_array) {
    Frame frame;
    frame.is_array = is_array;
    frame.path = next_path();
    stack_.push_back(std::move(frame));
  }
  void on_container_end() { stack_.pop_back(); }
  void on_scalar() { next_path(); }
  std::string key_path() const { return member_path(stack_.back().path, stack_.back().key); }
  // The path of the value the parser is reading now, before it is reported.
  std::string pending_path() const {
    if (stack_.empty()) {
      return "$";
    }
    const Frame& frame = stack_.back();
    return frame.is_array ? index_path(frame.path, frame.next_index)
                          : member_path(frame.path, frame.key);
  }

 private:
  struct Frame {
    bool is_array = false;
    std::string path;
    std::size_t next_index = 0;
    std::string key;
    std::vector<std::string> keys;
  };

  // The path of the value starting now; advances the index inside an array.
  std::string next_path() {
    if (stack_.empty()) {
      return "$";
    }
    Frame& frame = stack_.back();
    return frame.is_array ? index_path(frame.path, frame.next_index++)
                          : member_path(frame.path, frame.key);
  }

  std::vector<Frame> stack_;
};

// 1-based line and column (in characters, not bytes) of the byte at `offset`.
std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

// The library reports where it stopped: the last character of the unexpected token.
// The operator's editor is more use at the token's first character.
std::size_t token_start(std::string_view text, std::size_t last, const std::string& what) {
  if (last >= text.size()) {
    return last;
  }
  const auto is_word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' ||
           c == 'E';
  };
  const bool word = what.find("unexpected number literal") != std::string::npos ||
                    what.find("unexpected true literal") != std::string::npos ||
                    what.find("unexpected false literal") != std::string::npos ||
                    what.find("unexpected null literal") != std::string::npos;
  if (word) {
    while (last > 0 && is_word(text[last - 1])) {
      --last;
    }
    return last;
  }
  if (what.find("unexpected string literal") != std::string::npos && text[last] == '"') {
    // The opening quote is the nearest one before that is not escaped: a string
    // cannot hold a bare quote.
    for (std::size_t i = last; i-- > 0;) {
      if (text[i] != '"') {
        continue;
      }
      std::size_t backslashes = 0;
      while (backslashes < i && text[i - 1 - backslashes] == '\\') {
        ++backslashes;
      }
      if (backslashes % 2 == 0) {
        return i;
      }
    }
  }
  return last;
}

// The library's explanation without its own position (counted differently) and without
// the "last read" excerpt of the input, which may be the middle of a stream key.
std::string explanation(const std::string& what) {
  std::string text = what;
  if (const auto at = text.find("parse error"); at != std::string::npos) {
    if (const auto colon = text.find(": ", at); colon != std::string::npos) {
      text = text.substr(colon + 2);
    }
  }
  const auto excerpt = text.find("; last read: ");
  if (excerpt == std::string::npos) {
    return text;
  }
  std::string result = text.substr(0, excerpt);
  // The "; expected …" the library appends after the excerpt is kept only when it is
  // one of the library's own token names, so the excerpt cannot smuggle text through.
  static constexpr std::array<std::string_view, 15> kTokens = {"true literal",
                                                               "false literal",
                                                               "null literal",
                                                               "string literal",
                                                               "number literal",
                                                               "'['",
                                                               "'{'",
                                                               "']'",
                                                               "'}'",
                                                               "':'",
                                                               "','",
                                                               "end of input",
                                                               "'[', '{', or a literal",
                                                               "<parse error>",
                                                               "unknown token"};
  if (const auto expected = text.rfind("; expected "); expected != std::string::npos) {
    const std::string_view token = std::string_view(text).substr(expected + 11);
    if (std::find(kTokens.begin(), kTokens.end(), token) != kTokens.end()) {
      result += "; expected " + std::string(token);
    }
  }
  return result;
}

}  // namespace

std::optional<Json> parse_json_text(std::string_view text, Problems& problems) {
  PathTracker tracker;
  std::vector<std::string> duplicates;
  const Json::parser_callback_t callback = [&](int depth, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start:
        // Each level keeps its path, so a document nested a million deep would take
        // memory by the square of that; a real config is a handful of levels deep.
        if (depth >= kMaxDepth) {
          throw TooDeep{};
        }
        tracker.on_container_start(event == Json::parse_event_t::array_start);
        break;
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        tracker.on_container_end();
        break;
      case Json::parse_event_t::key:
        if (!tracker.on_key(parsed.get<std::string>())) {
          duplicates.push_back(tracker.key_path());
        }
        break;
      case Json::parse_event_t::value:
        tracker.on_scalar();
        break;
    }
    return true;
  };
  try {
    Json document = Json::parse(text.begin(), text.end(), callback);
    for (std::string& path : duplicates) {
      problems.add(std::move(path), "duplicate key");
    }
    return document;
  } catch (const Json::parse_error& error) {
    // `byte` counts from 1 and points at the character the parser stopped on.
    const std::size_t last = error.byte == 0 ? 0 : error.byte - 1;
    const auto [line, column] = line_and_column(text, token_start(text, last, error.what()));
    problems.add("$", "malformed JSON at line " + std::to_string(line) + ", column " +
                          std::to_string(column) + ": " + explanation(error.what()));
  } catch (const TooDeep&) {
    problems.add(
        "$", "nested deeper than " + std::to_string(kMaxDepth) + " levels of objects and arrays");
  } catch (const Json::out_of_range&) {
    // The one range error the parser raises: a number beyond a double (1e999). The
    // parser stops there, so the path it was reading is the number's.
    problems.add(tracker.pending_path(), "number too large (beyond ±1.7e308)");
  } catch (const Json::exception&) {
    // Not expected from parsing; its text could quote the input, so it is not shown.
    problems.add("$", "cannot read the JSON");
  }
  return std::nullopt;
}

}  // namespace hallcast::config
