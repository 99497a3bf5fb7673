#include "control/watch_page.h"

#include <nlohmann/json.hpp>

namespace hallcast::control {

WatchPage watch_page(const config::Config& config) {
  WatchPage page{config.event.title, config.event.venue, config.event.start, {}, {}, "floor"};
  page.languages = config.languages();
  for (const auto& output : config.outputs) {
    if (output.type == config::OutputType::hls) {
      page.playlist = "/hls/" + output.id + "/master.m3u8";
      page.language = output.language;
      break;
    }
  }
  return page;
}

std::string encode_watch_page(const WatchPage& page) {
  const nlohmann::json json{{"title", page.title},         {"venue", page.venue},
                            {"start", page.start},         {"playlist", page.playlist},
                            {"languages", page.languages}, {"language", page.language}};
  // Replacing bad UTF-8 rather than throwing: the texts come from the config file.
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace hallcast::control
