#include "control/wire.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <type_traits>

#include "control/command_wire.h"

namespace hallcast::control {

namespace {

using nlohmann::json;

// Replaces invalid UTF-8 instead of throwing: text from the engine (a GStreamer error
// message quoted in last_error) is not guaranteed to be valid.
std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

json to_json(const show::SourceStatus& s) {
  json j = {{"id", s.id},
            {"kind", config::to_string(s.kind)},
            {"label", s.label},
            {"health", show::to_string(s.health)}};
  if (!s.language.empty()) {
    j["language"] = s.language;
  }
  return j;
}

json to_json(const show::OverlayStatus& o) {
  json forms = json::array();
  for (const auto& form : o.content.forms) {
    forms.push_back({{"language", form.language}, {"name", form.name}, {"role", form.role}});
  }
  json j = {{"id", o.id},           {"type", config::to_string(o.type)},
            {"visible", o.visible}, {"label", o.label},
            {"number", o.number},   {"created", o.created}};
  if (o.type == config::OverlayType::lower_third) {
    j["name"] = o.content.name;
    j["role"] = o.content.role;
    j["forms"] = std::move(forms);
    if (!o.speaker.empty()) {
      j["speaker"] = o.speaker;
    }
  } else {
    j["text"] = o.content.text;
  }
  return j;
}

json iso_time(const std::optional<config::ZonedTime>& time) {
  return time ? json(config::format_iso_time(*time)) : json(nullptr);
}

json to_json(const show::CueStatus& c) {
  json j = {{"index", c.index},
            {"at", config::format_iso_time(c.at)},
            {"at_written", c.at_text},
            {"cmd", show_command_name(c.command)},
            {"command", command_to_json(c.command)},
            {"status", show::to_string(c.state)},
            {"done", c.done()},
            {"ran_at", c.ran_at ? json(config::format_iso_time(*c.ran_at, c.at.utc_offset_min))
                                : json(nullptr)}};
  if (c.state == show::CueState::failed) {
    j["error"] = to_string(from_domain(c.error));
    j["message"] = c.message;
  }
  return j;
}

json to_json(const show::AudioChannel& a) {
  return {{"channel", a.channel}, {"gain_db", a.gain_db}, {"muted", a.muted}};
}

// The key is not a field of OutputStatus, so it cannot appear here.
json to_json(const show::OutputStatus& o) {
  return {{"id", o.id},
          {"name", o.name},
          {"type", config::to_string(o.type)},
          {"language", o.language},
          {"enabled", o.enabled},
          {"state", show::to_string(o.state)},
          {"bitrate_kbps", o.bitrate_kbps},
          {"bytes", o.bytes},
          {"uptime_s", o.uptime_s},
          {"reconnects", o.reconnects},
          {"last_error", o.last_error},
          {"since_ms", o.since_ms},
          {"last_error_ms", o.last_error_ms},
          {"stalls", o.stalls},
          {"ready", o.ready}};
}

json to_json(const show::PartHealth& h) {
  return {{"part", h.part},
          {"state", show::to_string(h.state)},
          {"failures", h.failures},
          {"last_error", h.last_error}};
}

json to_json(const show::LatencyStats& l) {
  return {{"count", l.count},
          {"last_ms", l.last_ms},
          {"p50_ms", l.p50_ms},
          {"p99_ms", l.p99_ms},
          {"max_ms", l.max_ms}};
}

json to_json(const show::PtzStatus& p) {
  json j = {{"source", p.source},
            {"protocol", config::to_string(p.protocol)},
            {"link", show::to_string(p.link)},
            {"tally", p.tally},
            {"preset", nullptr},
            {"held", nullptr}};
  if (p.preset >= 0) {
    j["preset"] = p.preset;
  }
  if (p.held >= 0) {
    j["held"] = p.held;
  }
  return j;
}

json to_json(const show::AutoStatus& a) {
  return {{"available", a.available}, {"enabled", a.enabled}, {"speaker", a.speaker}};
}

json with_event(std::string_view name, json body) {
  json j = {{"event", name}};
  j.update(body);
  return j;
}

json to_json(const show::TrackStatus& t) {
  return {{"language", t.language},
          {"momentary_lufs", t.momentary_lufs},
          {"short_term_lufs", t.short_term_lufs},
          {"booth_speaking", t.booth_speaking}};
}

// Ten times a second to every client: kept small (one decimal is all a meter shows).
std::string encode_meters(const show::Meters& m) {
  auto round1 = [](double v) { return std::round(v * 10.0) / 10.0; };
  json inputs = json::array();
  for (const auto& l : m.inputs) {
    inputs.push_back(
        {{"channel", l.id}, {"peak_db", round1(l.peak_db)}, {"rms_db", round1(l.rms_db)}});
  }
  json tracks = json::array();
  for (std::size_t i = 0; i < m.tracks.size(); ++i) {
    const auto& l = m.tracks[i];
    json track = {{"language", l.id}, {"peak_db", round1(l.peak_db)}, {"rms_db", round1(l.rms_db)}};
    if (i < m.loudness.size()) {
      track["momentary_lufs"] = round1(m.loudness[i].momentary_lufs);
      track["short_term_lufs"] = round1(m.loudness[i].short_term_lufs);
      track["booth_speaking"] = m.loudness[i].booth_speaking;
    }
    tracks.push_back(std::move(track));
  }
  return dump({{"event", "meters"}, {"inputs", std::move(inputs)}, {"tracks", std::move(tracks)}});
}

}  // namespace

std::string encode_reply(const RequestId& id, const std::optional<Error>& error) {
  json j = json::object();
  if (const auto* number = std::get_if<std::int64_t>(&id)) {
    j["id"] = *number;
  } else if (const auto* text = std::get_if<std::string>(&id)) {
    j["id"] = *text;
  }
  j["ok"] = !error.has_value();
  if (error) {
    j["error"] = to_string(error->code);
    j["message"] = error->message;
  }
  return dump(j);
}

std::string encode_state(const show::Snapshot& s) {
  json j = {{"event", "state"},
            {"program", s.program},
            {"preview", s.preview},
            {"programme",
             {{"uptime_s", s.programme.uptime_s},
              {"frames_encoded", s.programme.frames_encoded},
              {"frames_dropped", s.programme.frames_dropped},
              {"behind_ms", s.programme.behind_ms},
              {"switch_latency", to_json(s.programme.switch_latency)},
              {"switch_latency_mixer", to_json(s.programme.switch_latency_mixer)}}},
            {"languages", s.languages}};
  json scenes = json::array();
  for (const auto& scene : s.scenes) {
    json entry = {{"id", scene.id}, {"name", scene.name}, {"sources", scene.sources}};
    // Only scenes that frame their shot carry presets (docs/hall-cameras.md).
    for (const auto& preset : scene.presets) {
      entry["presets"].push_back({{"source", preset.source}, {"preset", preset.preset}});
    }
    scenes.push_back(std::move(entry));
  }
  j["scenes"] = std::move(scenes);
  auto list = [](const auto& items) {
    json array = json::array();
    for (const auto& item : items) {
      array.push_back(to_json(item));
    }
    return array;
  };
  j["sources"] = list(s.sources);
  j["overlays"] = list(s.overlays);
  j["audio"] = list(s.audio);
  j["outputs"] = list(s.outputs);
  j["tracks"] = list(s.tracks);
  j["health"] = list(s.health);
  j["ptz"] = list(s.ptz);
  j["auto"] = to_json(s.auto_director);
  j["event_info"] = {
      {"title", s.event.title}, {"venue", s.event.venue}, {"start", iso_time(s.event.start)}};
  j["schedule"] = list(s.schedule);
  return dump(j);
}

std::string encode_event(const show::Event& event) {
  return std::visit(
      [](const auto& e) -> std::string {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, show::ProgramChanged>) {
          return dump({{"event", "program"}, {"scene", e.scene}});
        } else if constexpr (std::is_same_v<T, show::PreviewChanged>) {
          return dump({{"event", "preview"}, {"scene", e.scene}});
        } else if constexpr (std::is_same_v<T, show::OutputChanged>) {
          return dump(with_event("output", to_json(e.status)));
        } else if constexpr (std::is_same_v<T, show::SourceChanged>) {
          return dump(with_event("source", to_json(e.status)));
        } else if constexpr (std::is_same_v<T, show::OverlayChanged>) {
          return dump(with_event("overlay", to_json(e.status)));
        } else if constexpr (std::is_same_v<T, show::AudioChanged>) {
          return dump(with_event("audio", to_json(e.channel)));
        } else if constexpr (std::is_same_v<T, show::Meters>) {
          return encode_meters(e);
        } else if constexpr (std::is_same_v<T, show::HealthChanged>) {
          return dump(with_event("health", to_json(e.health)));
        } else if constexpr (std::is_same_v<T, show::PtzChanged>) {
          return dump(with_event("ptz", to_json(e.status)));
        } else if constexpr (std::is_same_v<T, show::AutoChanged>) {
          json body = to_json(e.status);
          if (!e.reason.empty()) {
            body["reason"] = e.reason;
          }
          return dump(with_event("auto", std::move(body)));
        } else if constexpr (std::is_same_v<T, show::OverlayDeleted>) {
          return dump({{"event", "overlay_deleted"}, {"id", e.id}});
        } else if constexpr (std::is_same_v<T, show::CueChanged>) {
          return dump(with_event("cue", to_json(e.status)));
        } else {
          static_assert(std::is_same_v<T, show::Thumbnail> ||
                        std::is_same_v<T, show::ListenPacket>);
          return {};  // a binary frame: encode_thumbnail, encode_listen_packet
        }
      },
      event);
}

std::string encode_thumbnail(const show::Thumbnail& thumbnail) {
  if (!thumbnail.jpeg || thumbnail.jpeg->empty()) {
    return {};
  }
  const std::string header = dump({{"feed", thumbnail.feed}, {"type", "image/jpeg"}});
  if (header.size() > 0xFFFF) {
    return {};
  }
  const auto& jpeg = *thumbnail.jpeg;
  std::string frame;
  frame.reserve(2 + header.size() + jpeg.size());
  frame += static_cast<char>(header.size() >> 8);
  frame += static_cast<char>(header.size() & 0xFF);
  frame += header;
  frame.append(reinterpret_cast<const char*>(jpeg.data()), jpeg.size());
  return frame;
}

namespace {

std::string framed(const std::string& header, const std::vector<std::uint8_t>& body) {
  if (header.size() > 0xFFFF) {
    return {};
  }
  std::string frame;
  frame.reserve(2 + header.size() + body.size());
  frame += static_cast<char>(header.size() >> 8);
  frame += static_cast<char>(header.size() & 0xFF);
  frame += header;
  frame.append(reinterpret_cast<const char*>(body.data()), body.size());
  return frame;
}

}  // namespace

std::string encode_listen_packet(const show::ListenPacket& packet) {
  if (!packet.opus || packet.opus->empty()) {
    return {};
  }
  return framed(dump({{"listen", packet.tap},
                      {"type", "audio/opus"},
                      {"rate", packet.rate},
                      {"channels", packet.channels},
                      {"captured_ms", static_cast<double>(packet.captured_us) / 1000.0}}),
                *packet.opus);
}

std::string encode_session(std::string_view role) {
  return dump({{"role", role}});
}

std::string encode_error(const Error& error) {
  return dump({{"error", to_string(error.code)}, {"message", error.message}});
}

}  // namespace hallcast::control
