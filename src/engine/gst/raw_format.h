// The programme's raw formats, defined here once: I420 video at the programme's size
// and frame rate (raw video stays I420 from source to encoder), and interleaved
// stereo F32 audio at its sample rate. Every capsfilter and appsrc of the programme
// takes them from here, and pipeline templates get them as `{video_caps}` and
// `{audio_caps}`.
#pragma once

#include <string>

#include "config/config.h"
#include "engine/gst/gst_ptr.h"

namespace hallcast::engine {

// Channels of every programme audio track and every audio input.
inline constexpr int kAudioChannels = 2;

// How much sound the programme's own sources and mixers put in a buffer: 20 ms, about an
// AAC frame (1024 samples at 48 kHz), as OBS mixes sound. Every buffer costs each element
// and probe it passes the same bookkeeping, whatever it holds; at 10 ms the audio
// chain woke its threads twice as often for the same sound.
inline constexpr int kAudioBuffersPerSecond = 50;

std::string video_caps_text(const config::Video& video);
std::string audio_caps_text(const config::Audio& audio);
CapsPtr video_caps(const config::Video& video);
CapsPtr audio_caps(const config::Audio& audio);

}  // namespace hallcast::engine
