// Telling test tones apart on decoded audio: each source of a test show plays its own
// sine (floor 440 Hz, a booth 1000 Hz, …), so the level of each frequency in a short
// block says which sources a track carries at that moment.
#pragma once

#include <cstddef>
#include <filesystem>
#include <vector>

namespace hallcast::testing {

// What decode_audio_track returns: 48 kHz, whatever the file holds.
constexpr int kToneRate = 48000;

// The `audio_index`-th audio stream of `file` decoded by ffmpeg, downmixed to mono
// float samples at kToneRate. Empty (with a test failure) if ffmpeg cannot decode it.
std::vector<float> decode_audio_track(const std::filesystem::path& file, int audio_index = 0);

// The level of `freq` in the block x[0..n), in dB (Goertzel): a sine of amplitude A
// at that frequency gives 20·log10(A / 2); digital silence gives -200.
double tone_db(const float* x, std::size_t n, double freq);

// The middle value (-999 for none): a tone's level over many blocks, unmoved by the
// few blocks a transition or a codec artefact spoils.
double median(std::vector<double> values);

}  // namespace hallcast::testing
