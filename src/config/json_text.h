// Turns config file text into a JSON document, reporting malformed JSON by line and
// column and keys written twice in one object (the JSON library would silently keep
// the last one).
#pragma once

#include <optional>
#include <string_view>

#include "config/json_reader.h"
#include "config/problems.h"

namespace hallcast::config {

// Nothing when the text is not JSON at all; duplicate keys are reported but the
// document is still returned so that the rest of it can be checked too.
std::optional<Json> parse_json_text(std::string_view text, Problems& problems);

}  // namespace hallcast::config
