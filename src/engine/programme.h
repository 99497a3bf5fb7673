// The programme: every input, the scene compositor, the audio tracks (the floor and
// one per interpretation language), and the encoders — each stream encoded exactly
// once. It ends in one StreamTap per encoded stream; destinations attach there.
//
//   video sources ─► compositor ─► I420 W×H@fps ─► queue ─► encode-video ─► tap "video"
//   audio sources + silence bed ─► floor mixer ─► tee ─┬─► queue ─► encode-audio ─► tap "floor"
//   booth L + (floor ─► queue ─► volume "duck") ─► mixer L ─► queue ─► encode-audio ─► tap L
//
// The silence bed keeps the floor's clock running when no microphone delivers.
// All methods run on the engine thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "engine/gst_ptr.h"
#include "engine/pipeline_templates.h"
#include "engine/stream_tap.h"
#include "engine/test_audio_gate.h"

namespace hallcast::engine {

class Programme {
 public:
  Programme(const config::Config& config, const PipelineTemplates& templates);
  ~Programme();
  Programme(const Programme&) = delete;
  Programme& operator=(const Programme&) = delete;

  // Build every element (the pipeline stays in NULL). Returns every problem found,
  // each naming the config value it belongs to; empty means ready to play.
  std::vector<config::Problem> build();

  GstElement* pipeline() const { return pipeline_.get(); }

  StreamTap& video_tap() { return *video_tap_; }
  // The tap of language track `language` ("floor" or an interpretation language).
  StreamTap* audio_tap(std::string_view language);
  const std::vector<std::string>& languages() const { return languages_; }

  // Show `scene` on the programme: compositor pad properties only, never a rebuild.
  void show_scene(const config::Scene& scene);

  // An audio or interpretation source's fader. False if there is no such channel.
  bool set_channel(std::string_view source_id, double gain_db, bool muted);

 private:
  void build_video();
  void build_video_source(std::size_t index, const config::Source& source);
  void build_audio();
  GstElement* build_audio_source(std::size_t index, const config::Source& source);
  void link_channel(const config::Source& source, GstElement* bin, GstElement* mixer,
                    const std::string& path);
  void build_track(const std::string& language, GstElement* mixer);
  GstElement* add(ElementPtr element);

  const config::Config& config_;
  const PipelineTemplates& templates_;
  std::vector<config::Problem> problems_;
  std::vector<std::string> languages_;

  // Destroyed after the pipeline (members go in reverse order): the pipeline's
  // streaming threads call into these until it is in NULL.
  std::unique_ptr<StreamTap> video_tap_;
  std::map<std::string, std::unique_ptr<StreamTap>, std::less<>> audio_taps_;
  std::vector<std::unique_ptr<TestAudioGate>> gates_;
  std::vector<PadPtr> compositor_pads_;  // one per video source, config order
  // The mixer pad each audio/interpretation source enters by: its fader.
  std::map<std::string, PadPtr, std::less<>> channel_pads_;

  ElementPtr compositor_;
  ElementPtr floor_tee_;
  PipelineOwner pipeline_;
};

}  // namespace hallcast::engine
