// The saved live state's form on disk: JSON text, versioned.
//
//   {"format": "hallcast-show-state", "version": 1,
//    "program": "close", "preview": "wide",
//    "overlays": [{"id": "slate", "visible": true},
//                 {"id": "q1", "visible": true, "type": "lower_third", "created": true,
//                  "words": {"name": "Мария Петрова", "role": "", "text": "",
//                            "forms": [{"language": "en", "name": "Maria Petrova",
//                                       "role": ""}]}}],
//    "deleted_overlays": ["lt-guest"],
//    "audio": [{"channel": "mic1", "gain_db": -6, "muted": false}],
//    "outputs": [{"id": "vk", "running": true, "language": "ru"},
//                {"id": "x", "running": false, "language": "en", "stopped": true}],
//    "auto": {"enabled": true},
//    "cues": [{"index": 0, "at": "-5m", "due_ms": 1782978900000,
//              "request": "{\"cmd\":\"output.start\",…}", "status": "ran",
//              "ran_at_ms": 1782978900004}]}
//
// `auto` is there only for a show with an automatic director; an output's `stopped` only
// when it is (else it waits armed); an overlay's `type` and `words` only when its words
// are not the config's; a failed cue's `error` and `message` only for it. A state saved
// before these were kept has none of those keys, and reads as the config's words, no
// overlay deleted and no cue done.
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
