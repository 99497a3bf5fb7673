#include "control/metrics.h"

#include <array>
#include <sstream>

namespace hallcast::control {

namespace {

// Label values are ids from the config; escaped anyway, as the format requires.
std::string label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

class Writer {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
  }
  template <typename T>
  void sample(std::string_view name, std::string_view labels, T value) {
    out_ << name;
    if (!labels.empty()) {
      out_ << '{' << labels << '}';
    }
    out_ << ' ' << value << '\n';
  }
  std::string text() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

}  // namespace

std::string format_metrics(const show::Snapshot& s, const ClientCounts& clients) {
  Writer w;
  w.family("hallcast_uptime_seconds", "gauge", "Time since the programme went on the air.");
  w.sample("hallcast_uptime_seconds", "", s.programme.uptime_s);

  w.family("hallcast_program_scene", "gauge", "1 for the scene on programme, 0 for the others.");
  for (const auto& scene : s.scenes) {
    w.sample("hallcast_program_scene", "scene=\"" + label(scene.id) + "\"",
             scene.id == s.program ? 1 : 0);
  }
  w.family("hallcast_preview_scene", "gauge", "1 for the scene on preview, 0 for the others.");
  for (const auto& scene : s.scenes) {
    w.sample("hallcast_preview_scene", "scene=\"" + label(scene.id) + "\"",
             scene.id == s.preview ? 1 : 0);
  }

  w.family("hallcast_frames_encoded_total", "counter", "Programme video frames encoded.");
  w.sample("hallcast_frames_encoded_total", "", s.programme.frames_encoded);
  w.family("hallcast_frames_dropped_total", "counter",
           "Programme frames that could not be delivered in time.");
  w.sample("hallcast_frames_dropped_total", "", s.programme.frames_dropped);
  w.family("hallcast_programme_behind_seconds", "gauge",
           "How far the latest encoded programme frame trails the clock.");
  w.sample("hallcast_programme_behind_seconds", "", s.programme.behind_ms / 1000.0);

  // Quantiles over the engine's recent switches, as a summary without _sum (the engine
  // keeps no total); max and last beside it, which a summary cannot carry. All 0 until
  // the first switch. In seconds, Prometheus's base unit (the state has milliseconds).
  const auto seconds = [](double ms) { return ms / 1000.0; };
  const auto& latency = s.programme.switch_latency;
  w.family("hallcast_switch_latency_seconds", "summary",
           "Scene switch latency, command to first encoded frame of the new picture.");
  w.sample("hallcast_switch_latency_seconds", "quantile=\"0.5\"", seconds(latency.p50_ms));
  w.sample("hallcast_switch_latency_seconds", "quantile=\"0.99\"", seconds(latency.p99_ms));
  w.sample("hallcast_switch_latency_seconds_count", "", latency.count);
  w.family("hallcast_switch_latency_seconds_max", "gauge", "The slowest scene switch since start.");
  w.sample("hallcast_switch_latency_seconds_max", "", seconds(latency.max_ms));
  w.family("hallcast_switch_latency_seconds_last", "gauge", "The latest scene switch's latency.");
  w.sample("hallcast_switch_latency_seconds_last", "", seconds(latency.last_ms));
  const auto& mixer = s.programme.switch_latency_mixer;
  w.family("hallcast_switch_latency_mixer_seconds", "summary",
           "Scene switch latency, command to the mixer's first frame of the new picture.");
  w.sample("hallcast_switch_latency_mixer_seconds", "quantile=\"0.5\"", seconds(mixer.p50_ms));
  w.sample("hallcast_switch_latency_mixer_seconds", "quantile=\"0.99\"", seconds(mixer.p99_ms));
  w.sample("hallcast_switch_latency_mixer_seconds_count", "", mixer.count);

  w.family("hallcast_track_loudness_lufs", "gauge",
           "EBU R128 loudness of each programme track (momentary 400 ms, short-term 3 s); "
           "-100 for silence.");
  for (const auto& track : s.tracks) {
    const std::string language = "language=\"" + label(track.language) + "\"";
    w.sample("hallcast_track_loudness_lufs", language + ",window=\"momentary\"",
             track.momentary_lufs);
    w.sample("hallcast_track_loudness_lufs", language + ",window=\"short_term\"",
             track.short_term_lufs);
  }
  w.family("hallcast_booth_speaking", "gauge",
           "1 while a language track's booth speaks (its floor is ducked), else 0.");
  for (const auto& track : s.tracks) {
    if (track.language != "floor") {
      w.sample("hallcast_booth_speaking", "language=\"" + label(track.language) + "\"",
               track.booth_speaking ? 1 : 0);
    }
  }

  w.family("hallcast_source_up", "gauge", "1 while a source delivers, 0 while it is lost.");
  for (const auto& source : s.sources) {
    w.sample("hallcast_source_up",
             "source=\"" + label(source.id) + "\",kind=\"" + label(config::to_string(source.kind)) +
                 "\"",
             source.health == show::Health::live ? 1 : 0);
  }

  w.family("hallcast_ptz_link_up", "gauge",
           "1 while a PTZ camera answers its VISCA commands, 0 while it does not (no_reply).");
  for (const auto& ptz : s.ptz) {
    w.sample("hallcast_ptz_link_up", "source=\"" + label(ptz.source) + "\"",
             ptz.link == show::PtzLink::ok ? 1 : 0);
  }
  w.family("hallcast_ptz_tally", "gauge", "1 while a PTZ camera's tally is on (on programme).");
  for (const auto& ptz : s.ptz) {
    w.sample("hallcast_ptz_tally", "source=\"" + label(ptz.source) + "\"", ptz.tally ? 1 : 0);
  }
  if (s.auto_director.available) {
    w.family("hallcast_auto_director_enabled", "gauge",
             "1 while the automatic director follows the microphones.");
    w.sample("hallcast_auto_director_enabled", "", s.auto_director.enabled ? 1 : 0);
  }

  static constexpr std::array states{show::OutputState::idle, show::OutputState::connecting,
                                     show::OutputState::live, show::OutputState::reconnecting,
                                     show::OutputState::error};
  w.family("hallcast_output_state", "gauge", "1 for the state each destination is in.");
  for (const auto& output : s.outputs) {
    for (auto state : states) {
      w.sample("hallcast_output_state",
               "output=\"" + label(output.id) + "\",state=\"" +
                   std::string(show::to_string(state)) + "\"",
               output.state == state ? 1 : 0);
    }
  }
  auto per_output = [&](std::string_view name, std::string_view type, std::string_view help,
                        auto value) {
    w.family(name, type, help);
    for (const auto& output : s.outputs) {
      w.sample(name, "output=\"" + label(output.id) + "\"", value(output));
    }
  };
  per_output("hallcast_output_bitrate_kbps", "gauge", "What each destination sends, in kbit/s.",
             [](const show::OutputStatus& o) { return o.bitrate_kbps; });
  per_output("hallcast_output_bytes_total", "counter", "Bytes each destination has sent.",
             [](const show::OutputStatus& o) { return o.bytes; });
  per_output("hallcast_output_reconnects_total", "counter",
             "Times each destination had to reconnect.",
             [](const show::OutputStatus& o) { return o.reconnects; });
  per_output("hallcast_output_uptime_seconds", "gauge",
             "How long each destination's current session has been live.",
             [](const show::OutputStatus& o) { return o.uptime_s; });
  // The language and the last error as labels of an always-1 sample: the usual way to
  // carry text in Prometheus.
  w.family("hallcast_output_info", "gauge",
           "Each destination's type, language and last error (empty: none).");
  for (const auto& output : s.outputs) {
    w.sample("hallcast_output_info",
             "output=\"" + label(output.id) + "\",type=\"" + label(config::to_string(output.type)) +
                 "\",language=\"" + label(output.language) + "\",last_error=\"" +
                 label(output.last_error) + "\"",
             1);
  }

  w.family("hallcast_control_clients", "gauge", "Connected control WebSocket clients.");
  w.sample("hallcast_control_clients", "role=\"operator\"", clients.operators);
  w.sample("hallcast_control_clients", "role=\"viewer\"", clients.viewers);
  w.family("hallcast_control_clients_dropped_total", "counter",
           "Control clients disconnected for not keeping up with events.");
  w.sample("hallcast_control_clients_dropped_total", "", clients.dropped);
  w.family("hallcast_control_multiview_clients", "gauge",
           "Control clients subscribed to the multiview thumbnails.");
  w.sample("hallcast_control_multiview_clients", "", clients.multiview);
  w.family("hallcast_control_thumbnails_skipped_total", "counter",
           "Multiview thumbnails not sent to a client whose queue was too full.");
  w.sample("hallcast_control_thumbnails_skipped_total", "", clients.thumbnails_skipped);
  w.family("hallcast_control_listen_clients", "gauge",
           "Control clients listening to a source or track (listen.start).");
  w.sample("hallcast_control_listen_clients", "", clients.listening);
  w.family("hallcast_control_connections", "gauge",
           "Open HTTP and WebSocket connections to the control port.");
  w.sample("hallcast_control_connections", "", clients.connections);
  w.family("hallcast_control_connections_refused_total", "counter",
           "Connections closed at once for being over the total or per-address limit.");
  w.sample("hallcast_control_connections_refused_total", "", clients.connections_refused);
  w.family("hallcast_control_wrong_tokens_total", "counter",
           "Wrong tokens presented (login form or bearer token).");
  w.sample("hallcast_control_wrong_tokens_total", "", clients.wrong_tokens);
  w.family("hallcast_control_throttled_total", "counter",
           "Requests answered 429 for too many wrong tokens from their address or overall.");
  w.sample("hallcast_control_throttled_total", "", clients.throttled);
  return w.text();
}

}  // namespace hallcast::control
