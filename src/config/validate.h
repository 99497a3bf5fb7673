// The one validator: the rules that relate values to each other or bound them (ids,
// references, ranges, languages, what each output type needs). It runs on the typed
// Config after reading and skips values whose reading already failed, since those hold
// defaults rather than what the operator wrote.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/problems.h"

namespace hallcast::config {

void validate(const Config& config, Problems& problems);

// The parts of validate(), one per file.
void validate_media_settings(const Config& config, Problems& problems);
void validate_event(const Config& config, Problems& problems);
void validate_ids(const Config& config, Problems& problems);
void validate_sources(const Config& config, Problems& problems);
void validate_scenes(const Config& config, Problems& problems);
void validate_overlays(const Config& config, Problems& problems);
void validate_outputs(const Config& config, Problems& problems);
void validate_control(const Config& config, Problems& problems);
void validate_hall(const Config& config, Problems& problems);  // PTZ, presets, auto director
void validate_relay(const Config& config, Problems& problems);
void validate_opening(const Config& config, Problems& problems);
void validate_schedule(const Config& config, Problems& problems);

// Shared by the parts.
bool is_environment_name(std::string_view name);

// True when every `list[i].field` was read, so a look-up that fails really means
// "not there" and not "there, but unreadable".
bool all_read(const Problems& problems, std::string_view list, std::size_t count,
              std::initializer_list<std::string_view> fields);

}  // namespace hallcast::config
