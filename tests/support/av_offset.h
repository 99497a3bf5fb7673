// Sound against picture in a flash-and-beep recording: a camera that flashes white on
// a beat (`test:video?pattern=black&flash_s=1`) and a microphone that beeps on the same
// beat (`test:audio?...&on_s=0.1&off_s=0.9`). Each flash frame's time is paired with the
// nearest beep onset on the file's own timeline.
//
// The beep starts on the beat to the sample; the flash is the frame on screen at the
// beat, which starts up to one frame before it. A file that keeps sound and picture
// together therefore reads between 0 and +1 frame (beep after flash).
#pragma once
#include <cstddef>
#include <filesystem>
#include <vector>

namespace hallcast::testing {

struct AvOffsets {
  std::vector<double> flashes;  // times of the frames that show the flash, in seconds
  std::size_t beeps = 0;        // beep onsets found
  // Beep minus flash, in seconds (positive: the sound comes after the picture), for
  // every flash whose beep the file can hold: not within 150 ms of the audio's start
  // (an onset is found after 100 ms of quiet) nor within 200 ms of its end.
  std::vector<double> offsets;
  // The audio's largest hole or overlap between packets (see DecodedAudio): the
  // offsets hold only if it is well under a millisecond.
  double largest_audio_gap_s = 0.0;

  double worst() const;  // the largest |offset|, 0 if there is none
};

// Decodes the first video and the first audio stream of `file` completely. Throws
// std::runtime_error if either cannot be decoded.
AvOffsets measure_av_offsets(const std::filesystem::path& file);

}  // namespace hallcast::testing
