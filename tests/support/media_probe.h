// Reading back what hallcast produced: ffprobe for the container and its streams,
// ffmpeg for a full decode and for single frames whose pixels a test checks.
// Tests assert on decoded media, not on what the program says it did.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace hallcast::testing {

struct StreamInfo {
  int index = 0;
  std::string codec_type;  // "video", "audio", "data", …
  std::string codec_name;  // "h264", "aac", …
  int width = 0;           // video only
  int height = 0;
  int sample_rate = 0;  // audio only
  int channels = 0;
  std::string language;  // tags.language, "" if none
  std::string title;     // tags.title, "" if none
};

struct MediaInfo {
  std::string format_name;  // e.g. "flv", "matroska,webm", "mpegts"
  // The container's duration; for a file that was never finalised (a crash) and has
  // none, the span of its packet timestamps.
  double duration_s = 0.0;
  // The container states its duration: a file finalised by its writer (Matroska gets
  // its duration and index only on a clean end).
  bool duration_stated = false;
  std::vector<StreamInfo> streams;

  std::vector<StreamInfo> video_streams() const;
  std::vector<StreamInfo> audio_streams() const;
};

// Runs ffprobe on `path`; throws std::runtime_error with ffprobe's message if it
// cannot read the file.
MediaInfo probe(const std::filesystem::path& path);

struct DecodeReport {
  // Both decoders ran to the end of the file and reported no error.
  bool ok = false;
  int64_t video_frames = 0;  // decoded frames, all video streams together
  int64_t audio_frames = 0;
  std::string errors;  // what ffmpeg/ffprobe printed at level "error"
};

// One packet of a stream as the container stores it, in file order.
struct PacketInfo {
  double pts_s = 0.0;
  double dts_s = 0.0;
  double duration_s = 0.0;  // 0 when the container does not say
  bool keyframe = false;
  int64_t size = 0;
};

// The packets of the first stream of `type` ("v" or "a") in `path`. Throws
// std::runtime_error if ffprobe cannot read the file.
std::vector<PacketInfo> read_packets(const std::filesystem::path& path, const std::string& type);

// Decodes every video and audio stream of `path` completely.
DecodeReport decode_check(const std::filesystem::path& path);

// The frame shown at `time_s`, scaled to width x height, as packed RGB24 rows
// (width * height * 3 bytes). Throws std::runtime_error if no frame can be decoded.
std::vector<uint8_t> decode_rgb_frame(const std::filesystem::path& path, double time_s, int width,
                                      int height);

// One decoded picture as packed RGB24 rows.
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;  // width * height * 3 bytes

  const uint8_t* at(int x, int y) const {
    return pixels.data() +
           (static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)) * 3;
  }
};

// Every frame of the first video stream, in presentation order, each scaled to
// width x height by area averaging (so a tiny size gives each cell's mean colour).
// Frames are neither dropped nor duplicated to a constant rate: a test sees exactly
// what was encoded. Throws std::runtime_error if the file cannot be decoded.
std::vector<RgbImage> decode_rgb_frames(const std::filesystem::path& path, int width, int height);

// The presentation time of every frame of the first video stream, in seconds, in
// presentation order: element i belongs to frame i of decode_rgb_frames. Read from the
// decoded frames, so a test needs no assumption about a constant frame rate.
std::vector<double> video_frame_times(const std::filesystem::path& path);

// One audio stream decoded to float samples, placed on the file's timeline.
struct DecodedAudio {
  int sample_rate = 0;
  int channels = 0;
  std::vector<float> samples;  // interleaved
  // The first packet's presentation time: when samples[0] plays, on the same clock as
  // video_frame_times. Later samples follow at the sample rate, which holds only if the
  // packets follow each other without holes (see largest_gap_s).
  double start_s = 0.0;
  // The largest mismatch between where a packet starts and where the one before it
  // ends, in seconds (0 for a seamless stream).
  double largest_gap_s = 0.0;

  std::size_t frames() const { return channels > 0 ? samples.size() / channels : 0; }
  // One channel's samples.
  std::vector<float> channel(int index) const;
};

// Decodes audio stream `audio_index` (0 = the first audio stream) of `path` with its
// own sample rate and channel count. Throws std::runtime_error if it cannot.
DecodedAudio decode_audio(const std::filesystem::path& path, int audio_index);

}  // namespace hallcast::testing
