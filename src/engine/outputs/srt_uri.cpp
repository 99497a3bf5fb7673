#include "engine/outputs/srt_uri.h"

namespace hallcast::engine {

SrtUri srt_uri(const std::string& url) {
  const auto query = url.find('?');
  const bool has_mode = query != std::string::npos && url.find("mode=", query) != std::string::npos;
  SrtUri result{url, url.find("mode=listener") != std::string::npos ||
                         url.find("mode=server") != std::string::npos};
  const auto scheme_end = url.find("://");
  const bool no_host = scheme_end != std::string::npos && url.compare(scheme_end + 3, 1, ":") == 0;
  if (no_host && !has_mode) {
    result.listener = true;
    result.uri += (query == std::string::npos ? "?" : "&") + std::string("mode=listener");
  }
  return result;
}

}  // namespace hallcast::engine
