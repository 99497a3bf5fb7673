// How a programme track is named wherever a container or playlist can carry it.
#pragma once

#include <string>

namespace hallcast::engine {

// The language code for containers and playlists. The floor is the hall in whatever
// languages are spoken there: ISO 639-2 "mul".
std::string track_language_code(const std::string& language);

// What a player shows in its language menu: the language named in itself ("English",
// "Русский"); the floor as the hall's original sound.
std::string track_title(const std::string& language);

}  // namespace hallcast::engine
