// The saved live state's form on disk: JSON text, versioned.
//
//   {"format": "hallcast-show-state", "version": 1,
//    "program": "close", "preview": "wide",
//    "overlays": [{"id": "slate", "visible": true}],
//    "audio": [{"channel": "mic1", "gain_db": -6, "muted": false}],
//    "outputs": [{"id": "vk", "running": true, "language": "ru"}],
//    "auto": {"enabled": true}}
//
// `auto` is there only for a show with an automatic director.
//
// Keys this version does not know are passed over (a later hallcast may add some); a
// key it knows with a value of the wrong type makes the whole file unreadable.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "show/live_state.h"

namespace hallcast::store {

class StateFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string encode_state(const show::LiveState& state);

// Throws StateFormatError saying what is wrong when `text` is not a saved state of
// this version.
show::LiveState decode_state(std::string_view text);

}  // namespace hallcast::store
