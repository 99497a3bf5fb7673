// ffprobe/ffmpeg readers for test assertions (see media_probe.h).
#include "support/media_probe.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "support/process.h"

namespace hallcast::testing {
namespace {

using nlohmann::json;

constexpr auto kToolTimeout = std::chrono::seconds(120);

CommandResult run_tool(const std::vector<std::string>& argv) {
  CommandResult result = run_command(argv, kToolTimeout);
  if (result.timed_out) {
    throw std::runtime_error(describe_command(argv) + " timed out");
  }
  return result;
}

// ffprobe writes numbers as JSON strings in some fields ("sample_rate": "48000",
// "duration": "2.967000") and as numbers in others.
double number_field(const json& object, const char* key, double fallback = 0.0) {
  const auto it = object.find(key);
  if (it == object.end()) {
    return fallback;
  }
  if (it->is_number()) {
    return it->get<double>();
  }
  if (it->is_string()) {
    try {
      return std::stod(it->get<std::string>());
    } catch (const std::exception&) {
      return fallback;  // "N/A"
    }
  }
  return fallback;
}

std::string string_field(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string tag(const json& stream, const char* key) {
  const auto tags = stream.find("tags");
  return tags != stream.end() && tags->is_object() ? string_field(*tags, key) : std::string();
}

json run_ffprobe_json(const std::vector<std::string>& argv) {
  const CommandResult result = run_tool(argv);
  if (result.exit_code != 0) {
    throw std::runtime_error(describe_command(argv) + " failed (" +
                             std::to_string(result.exit_code) + "): " + result.stderr_text);
  }
  try {
    return json::parse(result.stdout_text);
  } catch (const json::exception& error) {
    throw std::runtime_error(describe_command(argv) + " printed no JSON: " + error.what());
  }
}

// For a file without a duration in its header (e.g. a Matroska file whose writer was
// killed): first to last packet end.
double packet_span_s(const std::filesystem::path& path) {
  const json packets =
      run_ffprobe_json({"ffprobe", "-v", "error", "-print_format", "json", "-show_entries",
                        "packet=pts_time,duration_time", path.string()});
  double first = INFINITY;
  double last = -INFINITY;
  for (const auto& packet : packets.value("packets", json::array())) {
    const double pts = number_field(packet, "pts_time", NAN);
    if (std::isnan(pts)) {
      continue;
    }
    first = std::min(first, pts);
    last = std::max(last, pts + number_field(packet, "duration_time", 0.0));
  }
  return last > first ? last - first : 0.0;
}

}  // namespace

std::vector<StreamInfo> MediaInfo::video_streams() const {
  std::vector<StreamInfo> result;
  std::copy_if(streams.begin(), streams.end(), std::back_inserter(result),
               [](const StreamInfo& s) { return s.codec_type == "video"; });
  return result;
}

std::vector<StreamInfo> MediaInfo::audio_streams() const {
  std::vector<StreamInfo> result;
  std::copy_if(streams.begin(), streams.end(), std::back_inserter(result),
               [](const StreamInfo& s) { return s.codec_type == "audio"; });
  return result;
}

MediaInfo probe(const std::filesystem::path& path) {
  const json document = run_ffprobe_json({"ffprobe", "-v", "error", "-print_format", "json",
                                          "-show_format", "-show_streams", path.string()});
  MediaInfo info;
  const json format = document.value("format", json::object());
  info.format_name = string_field(format, "format_name");
  info.duration_s = number_field(format, "duration", 0.0);
  info.duration_stated = info.duration_s > 0.0;
  for (const auto& stream : document.value("streams", json::array())) {
    StreamInfo s;
    s.index = static_cast<int>(number_field(stream, "index"));
    s.codec_type = string_field(stream, "codec_type");
    s.codec_name = string_field(stream, "codec_name");
    s.width = static_cast<int>(number_field(stream, "width"));
    s.height = static_cast<int>(number_field(stream, "height"));
    s.sample_rate = static_cast<int>(number_field(stream, "sample_rate"));
    s.channels = static_cast<int>(number_field(stream, "channels"));
    s.language = tag(stream, "language");
    s.title = tag(stream, "title");
    info.streams.push_back(std::move(s));
  }
  if (info.duration_s <= 0.0) {
    info.duration_s = packet_span_s(path);
  }
  return info;
}

std::vector<PacketInfo> read_packets(const std::filesystem::path& path, const std::string& type) {
  const json document = run_ffprobe_json(
      {"ffprobe", "-v", "error", "-print_format", "json", "-select_streams", type + ":0",
       "-show_entries", "packet=pts_time,dts_time,duration_time,flags,size", path.string()});
  std::vector<PacketInfo> packets;
  for (const auto& packet : document.value("packets", json::array())) {
    PacketInfo p;
    p.pts_s = number_field(packet, "pts_time", NAN);
    p.dts_s = number_field(packet, "dts_time", p.pts_s);
    p.duration_s = number_field(packet, "duration_time", 0.0);
    p.keyframe = string_field(packet, "flags").find('K') != std::string::npos;
    p.size = static_cast<int64_t>(number_field(packet, "size"));
    packets.push_back(p);
  }
  return packets;
}

DecodeReport decode_check(const std::filesystem::path& path) {
  DecodeReport report;
  // ffmpeg decodes every frame the way a player would; "-map 0:v? -map 0:a?" skips
  // data and subtitle streams, which the null muxer cannot take.
  const CommandResult decode =
      run_tool({"ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-i", path.string(), "-map",
                "0:v?", "-map", "0:a?", "-f", "null", "-"});
  // ffprobe decodes again to count frames per stream.
  const std::vector<std::string> count_argv = {
      "ffprobe",       "-v",   "error",         "-count_frames",
      "-print_format", "json", "-show_entries", "stream=codec_type,nb_read_frames",
      path.string()};
  const CommandResult count = run_tool(count_argv);

  report.errors = decode.stderr_text + count.stderr_text;
  if (count.exit_code == 0) {
    try {
      for (const auto& stream : json::parse(count.stdout_text).value("streams", json::array())) {
        const auto frames = static_cast<int64_t>(number_field(stream, "nb_read_frames"));
        const std::string type = string_field(stream, "codec_type");
        if (type == "video") {
          report.video_frames += frames;
        } else if (type == "audio") {
          report.audio_frames += frames;
        }
      }
    } catch (const nlohmann::json::exception& error) {
      report.errors += std::string("ffprobe -count_frames printed no JSON: ") + error.what();
    }
  }
  report.ok = decode.exit_code == 0 && count.exit_code == 0 && report.errors.empty();
  if (decode.exit_code != 0 && decode.stderr_text.empty()) {
    report.errors += "ffmpeg exited with " + std::to_string(decode.exit_code) + "\n";
  }
  return report;
}

std::vector<uint8_t> decode_rgb_frame(const std::filesystem::path& path, double time_s, int width,
                                      int height) {
  std::ostringstream seek;
  seek << time_s;
  // -ss before -i seeks to the nearest keyframe and decodes forward to time_s exactly.
  const std::vector<std::string> argv = {
      "ffmpeg",   "-nostdin", "-hide_banner",
      "-v",       "error",    "-ss",
      seek.str(), "-i",       path.string(),
      "-map",     "0:v:0",    "-frames:v",
      "1",        "-vf",      "scale=" + std::to_string(width) + ":" + std::to_string(height),
      "-f",       "rawvideo", "-pix_fmt",
      "rgb24",    "-"};
  const CommandResult result = run_tool(argv);
  const size_t expected = static_cast<size_t>(width) * static_cast<size_t>(height) * 3;
  if (result.exit_code != 0 || result.stdout_text.size() != expected) {
    throw std::runtime_error(describe_command(argv) + ": got " +
                             std::to_string(result.stdout_text.size()) + " of " +
                             std::to_string(expected) + " bytes: " + result.stderr_text);
  }
  return std::vector<uint8_t>(result.stdout_text.begin(), result.stdout_text.end());
}

std::vector<RgbImage> decode_rgb_frames(const std::filesystem::path& path, int width, int height) {
  // "-fps_mode passthrough": one output picture per decoded frame, whatever the
  // timestamps say; "flags=area" makes a shrunk pixel the mean of its cell.
  const std::vector<std::string> argv = {
      "ffmpeg",
      "-nostdin",
      "-hide_banner",
      "-v",
      "error",
      "-i",
      path.string(),
      "-map",
      "0:v:0",
      "-fps_mode",
      "passthrough",
      "-vf",
      "scale=" + std::to_string(width) + ":" + std::to_string(height) + ":flags=area",
      "-f",
      "rawvideo",
      "-pix_fmt",
      "rgb24",
      "-"};
  const CommandResult result = run_tool(argv);
  const size_t frame_bytes = static_cast<size_t>(width) * static_cast<size_t>(height) * 3;
  if (result.exit_code != 0 || result.stdout_text.empty() ||
      result.stdout_text.size() % frame_bytes != 0) {
    throw std::runtime_error(describe_command(argv) + ": " + std::to_string(result.exit_code) +
                             ", " + std::to_string(result.stdout_text.size()) +
                             " bytes: " + result.stderr_text);
  }
  std::vector<RgbImage> frames;
  frames.reserve(result.stdout_text.size() / frame_bytes);
  for (size_t offset = 0; offset < result.stdout_text.size(); offset += frame_bytes) {
    const auto* begin = reinterpret_cast<const uint8_t*>(result.stdout_text.data()) + offset;
    frames.push_back({width, height, std::vector<uint8_t>(begin, begin + frame_bytes)});
  }
  return frames;
}

std::vector<double> video_frame_times(const std::filesystem::path& path) {
  // best_effort_timestamp is the decoder's pts where the container gives one, and its
  // estimate where it does not.
  const json frames =
      run_ffprobe_json({"ffprobe", "-v", "error", "-select_streams", "v:0", "-print_format", "json",
                        "-show_entries", "frame=best_effort_timestamp_time", path.string()});
  std::vector<double> times;
  for (const auto& frame : frames.value("frames", json::array())) {
    times.push_back(number_field(frame, "best_effort_timestamp_time", NAN));
  }
  return times;
}

std::vector<float> DecodedAudio::channel(int index) const {
  std::vector<float> out;
  if (index < 0 || index >= channels) {
    return out;
  }
  out.reserve(frames());
  for (std::size_t i = static_cast<std::size_t>(index); i < samples.size(); i += channels) {
    out.push_back(samples[i]);
  }
  return out;
}

DecodedAudio decode_audio(const std::filesystem::path& path, int audio_index) {
  const std::string stream = "a:" + std::to_string(audio_index);
  const json info = run_ffprobe_json({"ffprobe", "-v", "error", "-select_streams", stream,
                                      "-print_format", "json", "-show_entries",
                                      "stream=sample_rate,channels:packet=pts_time,duration_time",
                                      path.string()});
  const json streams = info.value("streams", json::array());
  if (streams.empty()) {
    throw std::runtime_error(path.string() + " has no audio stream " + stream);
  }
  DecodedAudio audio;
  audio.sample_rate = static_cast<int>(number_field(streams[0], "sample_rate"));
  audio.channels = static_cast<int>(number_field(streams[0], "channels"));
  const json packets = info.value("packets", json::array());
  double expected_start = NAN;
  for (std::size_t i = 0; i < packets.size(); ++i) {
    const double pts = number_field(packets[i], "pts_time", NAN);
    if (i == 0) {
      audio.start_s = pts;
    } else if (!std::isnan(expected_start)) {
      audio.largest_gap_s = std::max(audio.largest_gap_s, std::fabs(pts - expected_start));
    }
    // A packet without a duration (some muxers leave it out) lasts until the next one.
    const double next =
        i + 1 < packets.size() ? number_field(packets[i + 1], "pts_time", NAN) : NAN;
    expected_start = pts + number_field(packets[i], "duration_time", next - pts);
  }

  const std::vector<std::string> argv = {
      "ffmpeg", "-nostdin",    "-hide_banner", "-v",    "error", "-i",        path.string(),
      "-map",   "0:" + stream, "-f",           "f32le", "-c:a",  "pcm_f32le", "-"};
  const CommandResult result = run_tool(argv);
  if (result.exit_code != 0 || audio.channels <= 0 ||
      result.stdout_text.size() % (sizeof(float) * audio.channels) != 0) {
    throw std::runtime_error(describe_command(argv) + ": " + std::to_string(result.exit_code) +
                             ", " + std::to_string(result.stdout_text.size()) +
                             " bytes: " + result.stderr_text);
  }
  audio.samples.resize(result.stdout_text.size() / sizeof(float));
  std::memcpy(audio.samples.data(), result.stdout_text.data(), result.stdout_text.size());
  return audio;
}

}  // namespace hallcast::testing
