// Reads the members of one JSON object into typed values, reporting wrong types,
// missing required keys and keys nobody asked for, each with its JSON path.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "config/problems.h"

namespace hallcast::config {

// Ordered so that unknown keys are reported in the order they were written.
using Json = nlohmann::ordered_json;

enum class Need { optional, required };

// What a string holds decides what it may contain. Every kind but `secret` refuses
// control characters (a NUL cuts a name short in GStreamer and Pango; others garble a
// log line or the panel) and invisible direction overrides that make a name read as
// another.
enum class Text {
  value,      // an id, a reference, a URI, a path, a variable name: not empty, one line,
              // at most 4096 bytes; its own rules come later
  name,       // a name or label the panel shows: not empty, one line, at most 200 characters
  line,       // free text on one line (a title, a role): may be empty, at most 200 characters
  paragraph,  // a title slate's text: not empty, line breaks allowed, at most 400 characters
  secret,     // a stream key: not empty, at most 4096 bytes, never written back in a message
};

// How a value is shown in a message: `"30"`, `29.97`, `true`, `an object`.
std::string describe(const Json& value);

// Only the kind of value (`a string`, `a number`), for values that must not be echoed.
std::string describe_type(const Json& value);

class ObjectReader {
 public:
  // When `value` is not an object, reports that and every getter reads nothing.
  ObjectReader(const Json& value, std::string path, Problems& problems);

  bool is_object() const { return object_ != nullptr; }
  std::string path_of(std::string_view key) const { return member_path(path_, key); }

  // Each getter marks `key` as known and returns true when it stored a value.
  // A missing optional key leaves `out` untouched, so defaults live in the structs.
  bool string(std::string_view key, std::string& out, Need need = Need::optional,
              Text text = Text::value);
  bool whole_number(std::string_view key, int& out, Need need = Need::optional);
  bool number(std::string_view key, double& out, Need need = Need::optional);
  bool boolean(std::string_view key, bool& out, Need need = Need::optional);
  const Json* array(std::string_view key, Need need = Need::optional);
  const Json* object(std::string_view key, Need need = Need::optional);

  // Every key of the object, in the order written (none when it is not an object).
  std::vector<std::string> keys() const;
  // Marks `key` as known without reading it: a value another layer reads.
  void accept(std::string_view key) { known_.emplace_back(key); }

  // Reports every key no getter asked for; call after the last getter.
  void reject_unknown_keys();

 private:
  const Json* find(std::string_view key, Need need);
  void wrong_type(std::string_view key, std::string_view expected, const Json& value,
                  bool secret = false);

  const Json* object_ = nullptr;
  std::string path_;
  Problems& problems_;
  std::vector<std::string> known_;
};

}  // namespace hallcast::config
