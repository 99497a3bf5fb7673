// The vision mixer: two scene buses and a final mixer, as on a broadcast switcher's
// mix/effect bank.
//
//   source tees ─┬─► bus 0 (compositor: a scene) ─┐
//                └─► bus 1 (compositor: a scene) ─┴─► mixer (compositor) ─► programme
//
// One bus is on air, the other holds the preview scene. A take shows the other bus on
// the mixer — at once (cut) or by a crossfade of the two full pictures (fade). A cut
// straight to programme re-lays the bus on air. Nothing is ever rebuilt: a switch
// changes pad properties, and every change is applied inside the compositor's
// `samples-selected` signal, so it takes effect on exactly one frame boundary.
//
// Ordering between the three compositors is kept by rules checked at those boundaries:
// a bus is re-laid for the preview only on frames the mixer no longer shows, and a take
// waits until the incoming bus shows the scene it was asked to take. So the preview
// never leaks to the programme, and a take never shows a stale scene.
//
// Engine-thread methods queue work and return at once; the callbacks run on the
// compositors' streaming threads. A callback that throws leaves that frame as it was
// and is reported to the FailureSink as part "mixer"; the next frame tries again.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "engine/gst/contain.h"
#include "engine/gst/gst_ptr.h"
#include "engine/video/scene_layout.h"
#include "engine/video/switch_latency.h"

namespace hallcast::engine {

class VideoMixer {
 public:
  using Clock = std::chrono::steady_clock;

  // Every switch is reported to each of `latencies` (measured at different points).
  // `failures` must outlive the mixer.
  VideoMixer(const config::Config& config, std::vector<SwitchLatency*> latencies,
             FailureSink& failures);
  ~VideoMixer();
  VideoMixer(const VideoMixer&) = delete;
  VideoMixer& operator=(const VideoMixer&) = delete;

  // Build the buses and the mixer inside `bin`, fed from one tee per video source
  // (config order). Returns the mixer (its src pad carries the programme picture) and
  // the two buses' outputs through `bus_outputs` (for the preview thumbnail).
  GstElement* build(GstBin* bin, const std::vector<GstElement*>& source_tees,
                    std::array<GstElement*, 2>& bus_outputs);

  // --- engine thread ---------------------------------------------------------------
  // Put `scene` straight on programme (re-lay the bus on air).
  void cut_to(const config::Scene& scene, Clock::time_point ordered);
  // Lay `scene` on the bus off air.
  void preview(const config::Scene& scene);
  // Preview to programme: a cut when `fade` is zero, else a crossfade of that length.
  // A take during a running fade first completes it.
  void take(std::chrono::milliseconds fade, Clock::time_point ordered);
  // The bus whose picture is (or is becoming) the programme.
  int on_air() const { return on_air_; }

 private:
  struct Bus {
    ElementPtr compositor;
    std::vector<PadPtr> pads;  // one per video source
    SignalConnection selected;
    // Under mutex_: the newest layout asked for and not yet applied.
    std::optional<std::vector<PadGeometry>> pending;
    std::uint64_t pending_generation = 0;
    bool pending_on_air = false;  // a cut: applies while shown, and is timed
    Clock::time_point ordered{};
    // Written by this bus's streaming thread, read by the mixer's.
    std::atomic<std::uint64_t> applied_generation{0};
    std::atomic<GstClockTime> applied_at{0};
  };
  struct Take {
    int incoming;
    std::uint64_t generation;  // the incoming bus's layout it must show
    GstClockTime duration;     // 0: a cut
    Clock::time_point ordered;
  };
  struct Fade {
    int incoming;
    GstClockTime start;
    GstClockTime duration;
  };

  void lay_out(int bus, const config::Scene& scene, bool on_air, Clock::time_point ordered);
  static void on_bus_selected(GstElement* compositor, GstSegment* segment, GstClockTime pts,
                              GstClockTime dts, GstClockTime duration, GstStructure* info,
                              gpointer bus_index_and_self);
  static void on_mixer_selected(GstElement* compositor, GstSegment* segment, GstClockTime pts,
                                GstClockTime dts, GstClockTime duration, GstStructure* info,
                                gpointer self);
  void bus_frame(int bus, GstClockTime running);
  void mixer_frame(GstClockTime running);
  void show_only(int bus, GstClockTime running);  // mixer thread
  void apply_layout(Bus& bus, const std::vector<PadGeometry>& layout);

  void expect(GstClockTime frame, Clock::time_point ordered);

  const config::Config& config_;
  std::vector<SwitchLatency*> latencies_;
  FailureSink& failures_;
  std::array<Bus, 2> buses_;
  ElementPtr mixer_;
  std::array<PadPtr, 2> mixer_pads_;
  SignalConnection mixer_selected_;
  struct BusCallback {
    VideoMixer* self;
    int bus;
  };
  std::array<BusCallback, 2> bus_callbacks_;

  std::mutex mutex_;  // guards the pending work in buses_ and takes_
  std::deque<Take> takes_;
  // Mixer streaming thread only.
  int showing_ = 0;  // the bus fully on the mixer when no fade runs
  std::optional<Fade> fade_;
  // Running time from which a bus is not shown on the mixer; NONE while it is.
  std::array<std::atomic<GstClockTime>, 2> hidden_since_;

  // Engine thread only.
  int on_air_ = 0;
  std::array<std::uint64_t, 2> generation_{0, 0};
};

}  // namespace hallcast::engine
