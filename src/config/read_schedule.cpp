// The sections that run the show's day: the opening look, the cue list and the look of
// hallcast's own captions.
#include "config/read.h"

namespace hallcast::config {

Opening read_opening(const Json& value, Problems& problems) {
  Opening opening;
  ObjectReader reader(value, "opening", problems);
  reader.string("scene", opening.scene);
  reader.string("preview", opening.preview);
  if (const Json* list = reader.array("overlays")) {
    const std::string path = reader.path_of("overlays");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const Json& item = (*list)[i];
      if (!item.is_string() || item.get_ref<const std::string&>().empty()) {
        problems.add(index_path(path, i), "expected an overlay id, got " + describe(item));
        opening.overlays.emplace_back();  // keeps indexes equal to the file's
      } else {
        opening.overlays.push_back(item.get<std::string>());
      }
    }
  }
  reader.reject_unknown_keys();
  return opening;
}

std::vector<Cue> read_schedule(const Json& list, Problems& problems) {
  std::vector<Cue> cues;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = index_path("schedule", i);
    Cue cue;
    ObjectReader reader(list[i], path, problems);
    if (reader.string("at", cue.at_text, Need::required)) {
      cue.offset = parse_offset(cue.at_text);
      if (!cue.offset) {
        cue.time = parse_zoned_time(cue.at_text);
      }
      if (!cue.offset && !cue.time) {
        problems.add(reader.path_of("at"),
                     "expected an offset from event.start such as \"-5m\" or \"+1h30m\" (units "
                     "h, m, s), or an ISO 8601 time with its UTC offset such as "
                     "\"2026-07-03T11:00:00+03:00\", got " +
                         quote(cue.at_text));
      }
    }
    if (reader.is_object()) {
      // Everything else is the command: the control protocol reads it (and reports
      // any key it does not take).
      Json request = Json::object();
      for (const auto& [key, member] : list[i].items()) {
        if (key != "at") {
          request[key] = member;
          reader.accept(key);
        }
      }
      cue.request = request.dump(-1, ' ', false, Json::error_handler_t::replace);
    }
    reader.reject_unknown_keys();
    cues.push_back(std::move(cue));
  }
  return cues;
}

Captions read_captions(const Json& value, Problems& problems) {
  Captions captions;
  ObjectReader reader(value, "captions", problems);
  reader.string("no_signal_text", captions.no_signal_text, Need::optional, Text::name);
  reader.reject_unknown_keys();
  return captions;
}

}  // namespace hallcast::config
