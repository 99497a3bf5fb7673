// An `srt://` URL from the config as srtsrc and srtsink take it.
#pragma once

#include <string>

namespace hallcast::engine {

struct SrtUri {
  std::string uri;
  bool listener = false;  // waits for the other side to call
};

// A URL without a host (`srt://:PORT`) listens, as the config allows; srtsrc and
// srtsink want that said as `mode=listener`. A `mode` in the URL is kept.
SrtUri srt_uri(const std::string& url);

}  // namespace hallcast::engine
