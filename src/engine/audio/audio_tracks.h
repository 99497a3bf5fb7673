// The programme's audio: the floor (every microphone and clip, each on its fader; a
// clip's sound only while its picture is on programme) and one track
// per interpretation language (the booth over the floor, the floor ducked while the
// booth speaks), each track limited so it never clips, metered, and measured for EBU
// R128 loudness.
//
//   mics + silence bed ─► floor mixer ─► limiter ─► tee ─┬─► level ─► R128 ─► track "floor"
//                                                        └─► queue ─► duck ─┐
//   booth L ─► level ─► voice detector ───────────────────────────────────┴─► mixer L
//        mixer L ─► limiter ─► level ─► R128 ─► track "L"
//
// Per-sample work runs in buffer probes (sample_probe.h); meters are `level` elements
// posting to the programme's bus as "level-<source id>" and "level-track-<language>".
//
// Work that fails is switched off and reported, and the audio goes on: a track's
// loudness analysis as part "meters" (unit "<language> loudness"), its limiter, ducking
// or voice detection as part "audio" (units "<language> limiter", "… ducking",
// "… voice"). `restart` switches it on again.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "engine/audio/audio_dsp.h"
#include "engine/audio/loudness.h"
#include "engine/gst/contain.h"
#include "engine/gst/gst_ptr.h"
#include "engine/gst/sample_probe.h"
#include "engine/test_hooks.h"

namespace hallcast::engine {

class AudioTracks {
 public:
  // `failures` must outlive this object; `analyse` (tests) runs before each loudness
  // measurement.
  AudioTracks(const config::Config& config, FailureSink& failures,
              TestHooks::TrackAnalysis analyse = {});
  ~AudioTracks();
  AudioTracks(const AudioTracks&) = delete;
  AudioTracks& operator=(const AudioTracks&) = delete;

  // Add everything to `bin`, taking each audio/interpretation source's bin from
  // `source_bins` (by source id). Returns, per language ("floor" first), the element
  // whose src pad carries the finished raw track. Throws BuildError.
  std::vector<std::pair<std::string, GstElement*>> build(
      GstBin* bin, const std::map<std::string, GstElement*>& source_bins);

  // A source's fader. False if there is no such channel. Any thread.
  bool set_channel(std::string_view source_id, double gain_db, bool muted);

  // A clip's sound into the floor (or out of it) along a ramp of `ramp_ms`. False if
  // there is no such clip. Any thread.
  bool set_clip_on_air(std::string_view source_id, bool on_air, double ramp_ms);

  // Loudness of a track; null for an unknown language.
  const LoudnessMeter* loudness(std::string_view language) const;

  // Whether the booth of `language` counts as speaking (its floor is ducked).
  bool booth_speaking(std::string_view language) const;

  // Switch `unit` of `part` on again after a failure (a loudness analysis starts
  // afresh). Engine thread.
  void restart(std::string_view part, const std::string& unit);

 private:
  struct Channel {
    PadPtr pad;  // the mixer pad: volume and mute
    std::atomic<bool> muted{false};
    std::unique_ptr<Gate> gate;  // a clip's: open while it is on programme
  };
  struct Language {
    std::string code;
    VoiceDetector detector;
    DuckGain duck;
    std::atomic<bool> speaking{false};
    Channel* booth = nullptr;
    Language(std::string c, int rate, const config::Source& source);
  };

  GstElement* add_level(GstBin* bin, GstElement* upstream, const std::string& name);
  void add_limiter(GstElement* element, const std::string& language);
  void add_loudness(GstElement* element, const std::string& language);
  void add_probe(GstElement* element, bool writes, SampleProbe::Work work, std::string_view part,
                 std::string unit);
  void link_channel(const std::string& id, GstElement* bin, GstElement* mixer);

  const config::Config& config_;
  FailureSink& failures_;
  TestHooks::TrackAnalysis analyse_;
  std::map<std::string, std::unique_ptr<Channel>, std::less<>> channels_;
  std::vector<std::unique_ptr<Language>> languages_;
  std::vector<std::unique_ptr<PeakLimiter>> limiters_;
  std::map<std::string, std::unique_ptr<LoudnessMeter>, std::less<>> loudness_;
  // Last: the probes go first, before what they work on.
  std::vector<std::unique_ptr<SampleProbe>> probes_;
};

}  // namespace hallcast::engine
