#include "engine/outputs/track_names.h"

namespace hallcast::engine {

std::string track_language_code(const std::string& language) {
  return language == "floor" ? "mul" : language;
}

std::string track_title(const std::string& language) {
  // Each named in itself, as the audience page names them (web/languages.js).
  if (language == "floor")
    return "Original sound";
  if (language == "en")
    return "English";
  if (language == "ru")
    return "Русский";
  return language;
}

}  // namespace hallcast::engine
