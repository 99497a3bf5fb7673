// Turns a parsed JSON document into a Config: object shapes, value types, required
// and unknown keys, enum names, source URIs and control.listen. Rules that relate one
// value to another (ids, references, ranges) are the validator's, in validate.cpp.
#pragma once

#include "config/config.h"
#include "config/json_reader.h"
#include "config/problems.h"

namespace hallcast::config {

// Every array element becomes a struct, even one full of mistakes, so that the
// index in a struct list is the index in the file and paths stay right.
Config read_config(const Json& document, Problems& problems);

// The hall's cameras and their direction (read_hall.cpp): a source's `ptz`, a scene's
// `presets`, the top-level `auto_director`.
Ptz read_ptz(const Json& value, const std::string& path, Problems& problems);
std::vector<ScenePreset> read_presets(const Json& value, const std::string& path,
                                      Problems& problems);
AutoDirector read_auto_director(const Json& value, Problems& problems);
// The `relay` section (read_relay.cpp).
Relay read_relay(const Json& value, Problems& problems);

// The sections that run the show's day (read_schedule.cpp).
Opening read_opening(const Json& value, Problems& problems);
std::vector<Cue> read_schedule(const Json& list, Problems& problems);
Captions read_captions(const Json& value, Problems& problems);

}  // namespace hallcast::config
