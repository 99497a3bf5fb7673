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

enum class Text {
  non_empty,     // present means meaningful: "" is a mistake
  may_be_empty,  // free text such as a title
  secret,        // a stream key: non-empty, and never written back in a message
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
              Text text = Text::non_empty);
  bool whole_number(std::string_view key, int& out, Need need = Need::optional);
  bool number(std::string_view key, double& out, Need need = Need::optional);
  bool boolean(std::string_view key, bool& out, Need need = Need::optional);
  const Json* array(std::string_view key, Need need = Need::optional);
  const Json* object(std::string_view key, Need need = Need::optional);

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
