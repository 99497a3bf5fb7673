// The typed form of a hallcast configuration file (SPEC §2).
//
// `load_file`/`parse` turn JSON into these structs and run the one validator; a file
// with any problem throws ConfigError carrying every problem, each with the JSON path
// of the bad value. Everything past this layer can trust a Config: ids are unique,
// references resolve, numbers are in range.
//
// Secrets named by environment variables (stream keys, the control tokens) are read
// here, at load, and only here: the engine and the control server take them from the
// Config, so `check` judges exactly what `run` would use.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/wall_time.h"

namespace hallcast::config {

// A value that must never be printed: stream keys and tokens. It has no stream
// operator and no implicit conversion, so it cannot end up in a log line by accident.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  const std::string& reveal() const { return value_; }
  bool empty() const { return value_.empty(); }

 private:
  std::string value_;
};

// A speaker's name and role for the audience of another language (`name_ru`, `role_ru`
// in the file): the programme is encoded once for every platform, so a lower third
// shows each form, one under the other.
struct SpeakerForm {
  std::string language;  // ISO 639 code, e.g. "ru"
  std::string name;      // empty: the name reads the same in that language
  std::string role;
  bool operator==(const SpeakerForm&) const = default;
};

struct Speaker {
  std::string id;
  std::string name;
  std::string role;
  std::vector<SpeakerForm> forms{};  // in the order written
};

struct Event {
  std::string title;
  std::string venue;  // free text; empty: not said
  std::string start;  // ISO 8601 with its offset, checked by the validator; empty: not set
  std::vector<Speaker> speakers;
};

struct Video {
  int width = 1280;
  int height = 720;
  int fps = 30;
  int bitrate_kbps = 3000;
  double keyframe_interval_s = 2.0;

  // Frames between keyframes, at least 1.
  int keyframe_interval_frames() const;
};

struct Audio {
  int sample_rate = 48000;
  int bitrate_kbps = 128;
};

enum class SourceKind { video, audio, interpretation };

// `test:video?pattern=P[&flash_s=S]`: with flash_s, one white frame every S seconds
// of running time (with a `test:audio` beep on the same beat: an A/V sync check).
struct TestVideoUri {
  std::string pattern = "smpte";
  double flash_s = 0.0;
};

// `test:audio?freq=HZ&volume=V[&on_s=A&off_s=B]`; on_s == 0 means always on.
struct TestAudioUri {
  double freq = 440.0;
  double volume = 0.5;
  double on_s = 0.0;
  double off_s = 0.0;
};

// `file://`, `v4l2://`, `rtsp://`, `srt://`, `pulse://`: handed to the engine's
// source pipeline for that scheme.
struct MediaUri {
  std::string scheme;    // "file", "v4l2", "rtsp", "srt", "pulse"
  std::string location;  // file path, device path, whole network URI, or pulse device
};

using SourceUri = std::variant<TestVideoUri, TestAudioUri, MediaUri>;

// How hallcast drives a PTZ camera: VISCA over IP (Sony's framing, on UDP) or raw VISCA
// bytes on a TCP connection (PTZOptics, Lumens, Marshall and serial-to-IP adapters).
enum class PtzProtocol { visca_udp, visca_tcp };

struct Ptz {
  PtzProtocol protocol = PtzProtocol::visca_udp;
  std::string host;
  int port = 0;
};

struct Source {
  std::string id;
  SourceKind kind = SourceKind::video;
  std::string uri_text;  // as written in the file
  SourceUri uri;
  std::string label;     // defaults to the id
  std::string language;  // interpretation sources only (ISO 639 code)
  // Interpretation sources: how far the floor is lowered under the booth while it
  // speaks, and the booth level that counts as speaking.
  double duck_db = -15.0;
  double vad_threshold_db = -40.0;
  std::optional<Ptz> ptz{};  // video sources on a PTZ head
  // A clip (a `file://` video source): play it again from the start at its end, rather
  // than hold its last frame.
  bool loop = false;
};

// A `file://` video source: a clip, cued at its first frame while off air and played
// (its sound in the floor) while on programme.
bool is_clip(const Source& source);
// Whether the source brings sound into the programme: microphones, booths and clips.
bool has_sound(const Source& source);

struct Layer {
  std::string source;
  double x = 0.0;
  double y = 0.0;
  double w = 1.0;
  double h = 1.0;
};

// A camera preset a scene frames its shot with, recalled when the scene goes to preview.
struct ScenePreset {
  std::string source;
  int preset = 0;  // 0..127
  bool operator==(const ScenePreset&) const = default;
};

struct Scene {
  std::string id;
  std::string name;  // defaults to the id
  std::vector<Layer> layers;
  std::vector<ScenePreset> presets{};
};

// `countdown`: a caption whose text shows the time left to `event.start`.
enum class OverlayType { lower_third, title, countdown };

struct Overlay {
  std::string id;
  OverlayType type = OverlayType::title;
  std::string speaker;  // lower_third
  std::string text;     // title; countdown, where "{remaining}" is the time left
};

// How the programme looks at launch: the scene on air, the one on preview and the
// overlays already shown. An empty scene means the first; an empty preview the second
// (or the first when there is only one).
struct Opening {
  std::string scene;
  std::string preview;
  std::vector<std::string> overlays;
};

// One cue of the schedule: when, and the control command it runs. The config layer
// reads `at` only; the command is a control request (docs/protocol.md), kept as JSON
// text for the control protocol's parser, the one definition of a valid command.
struct Cue {
  std::string at_text;                              // as written
  std::optional<std::chrono::milliseconds> offset;  // `-5m`: from event.start
  std::optional<ZonedTime> time;                    // an ISO 8601 time
  std::string request;  // every member but `at`: {"cmd": …, fields…}
};

// The look of what hallcast itself puts on screen.
struct Captions {
  // The first line of the slate in place of a camera that is lost; its label follows.
  std::string no_signal_text = "NO SIGNAL";
};

enum class OutputType { rtmp, srt, record, hls };

struct Output {
  std::string id;
  std::string name;  // defaults to the id; what the panel shows
  OutputType type = OutputType::record;
  std::string url;      // rtmp, srt
  std::string key_env;  // name of the environment variable holding the key
  // The stream key: at load, the value of `key_env` (empty when the variable is unset),
  // or `key` in the file (discouraged). Empty: none.
  Secret key;
  std::string language = "floor";
  bool enabled = true;
  std::string path;  // record, hls: folder
  // record: how long each file runs; hls: the segment length. Unset: the type's default.
  std::optional<double> segment_s;
};

// control.obs_websocket: a second listener speaking the obs-websocket 5.x protocol, for
// tools made for OBS (docs/obs-websocket.md).
struct ObsWebsocket {
  std::string host = "127.0.0.1";
  int port = 4455;
  std::string password_env = "HALLCAST_OBS_PASSWORD";
  Secret password;  // read from password_env at load; empty: none
};

struct Control {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string token_env = "HALLCAST_TOKEN";
  std::string viewer_token_env;               // optional read-only token; empty: none
  std::optional<ObsWebsocket> obs_websocket;  // absent: no obs-websocket listener
  // Read from those variables at load; empty when unset or empty.
  Secret operator_token;
  Secret viewer_token;
};

// A floor microphone and the scene that shows whoever speaks into it.
struct AutoFollow {
  std::string mic;
  std::string scene;
};

// The automatic director: programme follows whoever speaks (show/auto_director.h).
struct AutoDirector {
  bool enabled = false;
  std::vector<AutoFollow> follow;
  std::string fallback_scene;
  double threshold_db = -40.0;
  int attack_ms = 700;
  double min_shot_s = 4.0;
};

// relay: an nginx-rtmp relay beyond the hall's uplink (docs/deployment.md). Each
// language the RTMP destinations need is uploaded to it once, as `url/<language>`, and
// the relay pushes it on to the platforms (`hallcast deploy relay-nginx`); its
// statistics, read from `stat_url`, tell each destination's state.
struct Relay {
  std::string url;       // rtmp://HOST[:PORT]/APP
  std::string stat_url;  // http://HOST:PORT/PATH; empty: relay_stat_location()'s default
};

struct Config {
  Event event;
  Video video;
  Audio audio;
  std::vector<Source> sources;
  std::vector<Scene> scenes;
  std::vector<Overlay> overlays;
  std::vector<Output> outputs;
  Control control;
  std::optional<AutoDirector> auto_director;
  std::optional<Relay> relay;  // absent: every destination is pushed from the hall
  Opening opening;
  std::vector<Cue> schedule;
  Captions captions;

  // The scene on programme and on preview at launch (opening, defaults applied).
  std::string opening_scene() const;
  std::string opening_preview() const;
  // event.start as a moment and its offset; nullopt when not set (or not valid).
  std::optional<ZonedTime> event_start() const;
  // When `cue` runs; nullopt for an offset without an event start.
  std::optional<WallTime> cue_time(const Cue& cue) const;
  // Moves the event's start and every cue given as a time by `delta`: a rehearsal of
  // the schedule at another time (hallcast run --event-start).
  void shift_times(std::chrono::milliseconds delta);

  // "floor" first, then each interpretation language in source order.
  std::vector<std::string> languages() const;
  const Source* find_source(std::string_view id) const;
  const Speaker* find_speaker(std::string_view id) const;
};

// One thing wrong with a config: `path` is the JSON path of the bad value, e.g.
// `scenes[1].layers[0].source`, or `$` for the document itself.
struct Problem {
  std::string path;
  std::string message;

  std::string to_string() const { return path + ": " + message; }
  bool operator==(const Problem&) const = default;
};

class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<Problem> problems);
  const std::vector<Problem>& problems() const { return problems_; }

 private:
  std::vector<Problem> problems_;
};

// Where variables named in a config are looked up: the value, or nothing when unset.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;

// The process's own environment.
Environment process_environment();

// Parse and validate, taking secrets from `environment`. Throw ConfigError with every
// problem found.
Config parse(std::string_view json_text, const Environment& environment = process_environment());
// The same for a file, which must be a regular file of at most 1 MiB.
Config load_file(const std::filesystem::path& file,
                 const Environment& environment = process_environment());

// Parse a source URI (SPEC §2) for a source of `kind`; on failure return the message.
std::variant<SourceUri, std::string> parse_source_uri(std::string_view text, SourceKind kind);

// An id as the config's lists take it (and overlay.create): 1–64 letters, digits, "_"
// or "-", starting with a letter or digit.
bool is_valid_id(std::string_view id);

std::string_view to_string(SourceKind kind);
std::string_view to_string(OverlayType type);
std::string_view to_string(OutputType type);
std::string_view to_string(PtzProtocol protocol);

// Seconds per recording file or HLS segment, defaults applied: a recording is cut into
// files of 15 minutes; an HLS segment holds two keyframe intervals, at least 4 s.
double segment_seconds(const Output& output, const Video& video);

}  // namespace hallcast::config
