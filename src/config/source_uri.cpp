// Source URIs (SPEC §2): which schemes exist, what each one's parameters mean, and
// which source kinds each can feed.
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <optional>
#include <vector>

#include "config/config.h"
#include "config/problems.h"
#include "config/uri_syntax.h"

namespace hallcast::config {
namespace {

// videotestsrc's pattern nicks in GStreamer 1.22. Kept here rather than asked of
// GStreamer so that this layer, and `hallcast check`, need no GStreamer.
constexpr std::array<std::string_view, 26> kVideoPatterns = {"smpte",
                                                             "snow",
                                                             "black",
                                                             "white",
                                                             "red",
                                                             "green",
                                                             "blue",
                                                             "checkers-1",
                                                             "checkers-2",
                                                             "checkers-4",
                                                             "checkers-8",
                                                             "circular",
                                                             "blink",
                                                             "smpte75",
                                                             "zone-plate",
                                                             "gamut",
                                                             "chroma-zone-plate",
                                                             "solid-color",
                                                             "ball",
                                                             "smpte100",
                                                             "bar",
                                                             "pinwheel",
                                                             "spokes",
                                                             "gradient",
                                                             "colors",
                                                             "smpte-rp-219"};

constexpr std::string_view kSchemes =
    "expected test:video, test:audio, file://, v4l2://, rtsp://, srt:// or pulse://";

using Result = std::variant<SourceUri, std::string>;

// A message when a `scheme` URI cannot feed a source of `kind`, else nothing.
std::optional<std::string> kind_mismatch(std::string_view scheme, SourceKind kind,
                                         std::initializer_list<SourceKind> fits) {
  if (std::find(fits.begin(), fits.end(), kind) != fits.end()) {
    return std::nullopt;
  }
  std::string kinds;
  std::size_t i = 0;
  for (const SourceKind fit : fits) {
    kinds += (i == 0 ? "" : i + 1 == fits.size() ? " and " : ", ");
    kinds += to_string(fit);
    ++i;
  }
  return std::string(scheme) + " suits " + kinds + " sources, not " + std::string(to_string(kind));
}

struct Parameter {
  std::string_view name;
  std::string_view value;
};

// `a=1&b=2` → parameters; names must be unique and known to the caller.
std::variant<std::vector<Parameter>, std::string> parse_query(
    std::string_view query, std::string_view uri_name,
    std::initializer_list<std::string_view> known) {
  std::vector<Parameter> parameters;
  if (query.empty()) {
    return parameters;
  }
  std::size_t start = 0;
  while (start <= query.size()) {
    const std::size_t end = std::min(query.find('&', start), query.size());
    const std::string_view item = query.substr(start, end - start);
    const auto equals = item.find('=');
    if (equals == std::string_view::npos || equals == 0) {
      return "expected NAME=VALUE, got " + quote(item);
    }
    const Parameter parameter{item.substr(0, equals), item.substr(equals + 1)};
    if (std::find(known.begin(), known.end(), parameter.name) == known.end()) {
      std::string names;
      for (const std::string_view name : known) {
        names += (names.empty() ? "" : ", ") + std::string(name);
      }
      return "unknown parameter " + quote(parameter.name) + "; " + std::string(uri_name) +
             " takes " + names;
    }
    for (const Parameter& earlier : parameters) {
      if (earlier.name == parameter.name) {
        return "parameter " + quote(parameter.name) + " given twice";
      }
    }
    parameters.push_back(parameter);
    start = end + 1;
  }
  return parameters;
}

std::optional<double> parse_decimal(std::string_view text) {
  double value = 0.0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

Result parse_test_video(std::string_view query) {
  auto parsed = parse_query(query, "test:video", {"pattern", "flash_s"});
  if (auto* message = std::get_if<std::string>(&parsed)) {
    return *message;
  }
  TestVideoUri uri;
  for (const Parameter& parameter : std::get<std::vector<Parameter>>(parsed)) {
    if (parameter.name == "flash_s") {
      const auto value = parse_decimal(parameter.value);
      if (!value || *value < 0.1 || *value > 3600.0) {
        return "flash_s must be a number of seconds 0.1..3600, got " + quote(parameter.value);
      }
      uri.flash_s = *value;
      continue;
    }
    const auto* found = std::find(kVideoPatterns.begin(), kVideoPatterns.end(), parameter.value);
    if (found == kVideoPatterns.end()) {
      return "unknown pattern " + quote(parameter.value) + "; expected a videotestsrc pattern " +
             "such as smpte, ball, snow, red";
    }
    uri.pattern = std::string(parameter.value);
  }
  return uri;
}

Result parse_test_audio(std::string_view query) {
  auto parsed = parse_query(query, "test:audio", {"freq", "volume", "on_s", "off_s"});
  if (auto* message = std::get_if<std::string>(&parsed)) {
    return *message;
  }
  TestAudioUri uri;
  bool has_on = false;
  bool has_off = false;
  for (const Parameter& parameter : std::get<std::vector<Parameter>>(parsed)) {
    const auto value = parse_decimal(parameter.value);
    if (!value) {
      return std::string(parameter.name) + " must be a number, got " + quote(parameter.value);
    }
    const std::string got = ", got " + std::string(parameter.value);
    if (parameter.name == "freq") {
      if (*value < 1.0 || *value > 20000.0) {
        return "freq must be 1..20000 Hz" + got;
      }
      uri.freq = *value;
    } else if (parameter.name == "volume") {
      if (*value < 0.0 || *value > 1.0) {
        return "volume must be 0..1" + got;
      }
      uri.volume = *value;
    } else if (*value > 3600.0) {
      // An hour keeps the cycle's length in samples well inside 64 bits.
      return std::string(parameter.name) + " must be at most 3600" + got;
    } else if (parameter.name == "on_s") {
      if (*value <= 0.0) {
        return "on_s must be greater than 0" + got;
      }
      uri.on_s = *value;
      has_on = true;
    } else {
      if (*value < 0.0) {
        return "off_s must be 0 or more" + got;
      }
      uri.off_s = *value;
      has_off = true;
    }
  }
  if (has_on != has_off) {
    return std::string("on_s and off_s go together: give both or neither");
  }
  return uri;
}

Result parse_file(std::string_view rest) {
  if (!rest.starts_with("/")) {
    return std::string("expected an absolute path: file:///PATH");
  }
  std::string path;
  if (auto bad = percent_decode(rest, path)) {
    return *bad;
  }
  if (auto bad = find_unsafe_character(path, Charset::file_path)) {
    return "path: " + *bad;
  }
  if (path.ends_with("/")) {
    return std::string("names a folder, not a file");
  }
  return MediaUri{"file", path};
}

Result parse_v4l2(std::string_view device) {
  const std::string_view expected = "expected v4l2:///dev/videoN";
  // /dev/videoN, or the names udev keeps stable across reboots and replugging.
  const bool numbered =
      device.starts_with("/dev/video") && device.size() > 10 &&
      std::all_of(device.begin() + 10, device.end(), [](char c) { return c >= '0' && c <= '9'; });
  const bool stable =
      device.starts_with("/dev/v4l/by-id/") || device.starts_with("/dev/v4l/by-path/");
  if (!numbered && !stable) {
    return std::string(expected);
  }
  if (auto bad = find_unsafe_character(device, Charset::file_path)) {
    return "device: " + *bad;
  }
  return MediaUri{"v4l2", std::string(device)};
}

Result parse_network_source(std::string_view text) {
  auto parsed = parse_network_url(text);
  if (auto* message = std::get_if<std::string>(&parsed)) {
    return *message;
  }
  const NetworkUrl& url = std::get<NetworkUrl>(parsed);
  if (url.scheme == "rtsp" && url.host.empty()) {
    return std::string("expected rtsp://HOST[:PORT]/…");
  }
  // An SRT source without a host listens for the hall's encoder to call in.
  if (url.scheme == "srt" && url.port == 0) {
    return std::string("expected srt://[HOST]:PORT…");
  }
  // The scheme is written lowercase so the engine can pick its pipeline by prefix.
  return MediaUri{url.scheme, url.scheme + std::string(text.substr(url.scheme.size()))};
}

Result parse_pulse(std::string_view device) {
  if (auto bad = find_unsafe_character(device, Charset::device_name)) {
    return "device: " + *bad;
  }
  return MediaUri{"pulse", std::string(device)};
}

}  // namespace

std::variant<SourceUri, std::string> parse_source_uri(std::string_view text, SourceKind kind) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return "not a URI; " + std::string(kSchemes);
  }
  std::string scheme;
  for (const char c : text.substr(0, colon)) {
    scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  std::string_view rest = text.substr(colon + 1);

  if (scheme == "test") {
    const auto question = rest.find('?');
    const std::string_view target = rest.substr(0, question);
    const std::string_view query =
        question == std::string_view::npos ? std::string_view() : rest.substr(question + 1);
    if (target == "video") {
      if (auto bad = kind_mismatch("test:video", kind, {SourceKind::video})) {
        return *bad;
      }
      return parse_test_video(query);
    }
    if (target == "audio") {
      if (auto bad =
              kind_mismatch("test:audio", kind, {SourceKind::audio, SourceKind::interpretation})) {
        return *bad;
      }
      return parse_test_audio(query);
    }
    return std::string("expected test:video or test:audio");
  }

  const bool known = scheme == "file" || scheme == "v4l2" || scheme == "rtsp" || scheme == "srt" ||
                     scheme == "pulse";
  if (!known) {
    return "unknown scheme " + quote(scheme) + "; " + std::string(kSchemes);
  }
  if (!rest.starts_with("//")) {
    return "expected " + scheme + "://…";
  }
  rest.remove_prefix(2);
  if (scheme == "file") {
    if (auto bad = kind_mismatch("file://", kind, {SourceKind::video, SourceKind::audio})) {
      return *bad;
    }
    return parse_file(rest);
  }
  if (scheme == "pulse") {
    if (auto bad =
            kind_mismatch("pulse://", kind, {SourceKind::audio, SourceKind::interpretation})) {
      return *bad;
    }
    return parse_pulse(rest);
  }
  // An SRT feed may also bring a booth from another room, or a remote microphone.
  const auto bad =
      scheme == "srt"
          ? kind_mismatch("srt://", kind,
                          {SourceKind::video, SourceKind::audio, SourceKind::interpretation})
          : kind_mismatch(scheme + "://", kind, {SourceKind::video});
  if (bad) {
    return *bad;
  }
  return scheme == "v4l2" ? parse_v4l2(rest) : parse_network_source(text);
}

}  // namespace hallcast::config
