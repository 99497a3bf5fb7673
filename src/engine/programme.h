// The programme: every input, the vision mixer, the captions, the audio tracks (the
// floor and one per interpretation language), and the encoders — each stream encoded
// exactly once. It ends in one StreamTap per encoded stream; destinations attach there.
//
//   video source ─► tee ─► vision mixer (two scene buses and a mixer, video_mixer.h)
//     ─► I420 W×H@fps ─► captions ─► tee ─► queue ─► encode-video ─► tap "video"
//   multiview thumbnails branch off each source, each bus and the programme tee
//   audio sources ─► the floor and language tracks (audio_tracks.h)
//     ─► each track: queue ─► encode-audio ─► tap "<language>"
// Failures of the optional parts (multiview, captions, meters, the audio processing)
// and of every callback go to the FailureSink; only the mixer's and the encoders'
// errors, on the pipeline's bus, are the programme's own.
// All methods run on the engine thread.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/wall_time.h"
#include "engine/audio/audio_tracks.h"
#include "engine/gst/contain.h"
#include "engine/gst/gst_ptr.h"
#include "engine/gst/pipeline_templates.h"
#include "engine/inputs/clip_input.h"
#include "engine/inputs/live_input.h"
#include "engine/inputs/test_audio_gate.h"
#include "engine/inputs/test_video_flash.h"
#include "engine/outputs/encoded_feeds.h"
#include "engine/outputs/stream_tap.h"
#include "engine/test_hooks.h"
#include "engine/video/caption_layer.h"
#include "engine/video/multiview.h"
#include "engine/video/switch_latency.h"
#include "engine/video/video_mixer.h"

namespace hallcast::engine {

class Programme : public EncodedFeeds {
 public:
  // `on_thumbnail` gets multiview JPEGs on a streaming thread; feeds are "program",
  // "bus0", "bus1" and "source:<id>". `failures` must outlive the programme.
  Programme(const config::Config& config, const PipelineTemplates& templates, FailureSink& failures,
            std::function<void(const std::string&, Multiview::Jpeg)> on_thumbnail = {},
            const TestHooks& hooks = {});
  ~Programme();
  Programme(const Programme&) = delete;
  Programme& operator=(const Programme&) = delete;

  // Build every element (the pipeline stays in NULL). Returns every problem found,
  // each naming the config value it belongs to; empty means ready to play.
  std::vector<config::Problem> build();

  GstElement* pipeline() const { return pipeline_.get(); }

  StreamTap& video_tap() override { return *video_tap_; }
  // The tap of language track `language` ("floor" or an interpretation language).
  StreamTap* audio_tap(std::string_view language) override;
  const std::vector<std::string>& languages() const override { return languages_; }

  VideoMixer& mixer() { return mixer_; }
  CaptionLayer& captions() { return captions_; }
  Multiview& multiview() { return multiview_; }
  const SwitchLatency& switch_latency() const { return latency_; }
  const SwitchLatency& switch_latency_mixer() const { return mixer_latency_; }
  AudioTracks& audio() { return audio_; }

  // The programme's running time at a wall-clock moment: which frame shows it. 0 (the
  // next frame) while the programme is not playing.
  GstClockTime running_time_at(config::WallTime when) const;

  // The real inputs (cameras, microphones, files): what each ingest pipeline is, and
  // the appsrc `input-ID` in this pipeline it feeds (see LiveInput).
  const std::vector<LiveInputOptions>& inputs() const { return inputs_; }
  // The clips (file:// video sources): their ingest, and the appsrcs `input-ID` (the
  // picture) and `input-ID-audio` (the sound) they feed.
  const std::vector<ClipOptions>& clips() const { return clips_; }

 private:
  void build_video();
  GstElement* build_video_source(std::size_t index, const config::Source& source);
  void build_audio();
  GstElement* build_audio_source(std::size_t index, const config::Source& source);
  void build_track(const std::string& language, GstElement* mixer);
  GstElement* add_input(const config::Source& source, const std::string& path,
                        const std::string& description, bool video);
  GstElement* add_clip(const config::Source& source, const std::string& path,
                       const std::string& description);
  GstElement* add(ElementPtr element);
  static GstPadProbeReturn on_mixed(GstPad* pad, GstPadProbeInfo* info, gpointer self);

  const config::Config& config_;
  const PipelineTemplates& templates_;
  FailureSink& failures_;
  std::vector<config::Problem> problems_;
  std::vector<std::string> languages_;

  // Destroyed after the pipeline (members go in reverse order): the pipeline's
  // streaming threads call into these until it is in NULL.
  std::unique_ptr<StreamTap> video_tap_;
  std::map<std::string, std::unique_ptr<StreamTap>, std::less<>> audio_taps_;
  std::vector<std::unique_ptr<TestAudioGate>> gates_;
  std::vector<std::unique_ptr<TestVideoFlash>> flashes_;
  std::vector<LiveInputOptions> inputs_;
  std::vector<ClipOptions> clips_;
  std::map<std::string, GstElement*> clip_sound_;  // a clip's sound appsrc, by source id
  SwitchLatency latency_;
  SwitchLatency mixer_latency_;
  PadProbe mixer_output_probe_;
  VideoMixer mixer_;
  CaptionLayer captions_;
  Multiview multiview_;
  AudioTracks audio_;

  PipelineOwner pipeline_;
};

}  // namespace hallcast::engine
