#include "engine/gst/raw_format.h"

namespace hallcast::engine {

std::string video_caps_text(const config::Video& video) {
  return "video/x-raw,format=I420,width=" + std::to_string(video.width) +
         ",height=" + std::to_string(video.height) + ",framerate=" + std::to_string(video.fps) +
         "/1";
}

std::string audio_caps_text(const config::Audio& audio) {
  return "audio/x-raw,format=F32LE,layout=interleaved,rate=" + std::to_string(audio.sample_rate) +
         ",channels=" + std::to_string(kAudioChannels);
}

CapsPtr video_caps(const config::Video& video) {
  return CapsPtr(gst_caps_from_string(video_caps_text(video).c_str()));
}

CapsPtr audio_caps(const config::Audio& audio) {
  return CapsPtr(gst_caps_from_string(audio_caps_text(audio).c_str()));
}

}  // namespace hallcast::engine
