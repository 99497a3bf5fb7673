// Multiview thumbnails: small JPEGs of each source, the preview and the programme, a
// few times a second, for the operator panel. Each feed branches off a tee through a
// gate, a leaky queue and a valve. The gate is a probe on the queue's way in: it lets a
// frame through only while the feed is open (someone watches, the feed is wanted and
// has not failed) and at most kFramesPerSecond of them, so an unwatched multiview costs
// no scaling, no encoding and no wake-up of the queue's thread at all. (A videorate
// after the queue limited the rate before: it must see every frame to keep time, which
// woke each feed's thread 30 times a second for nothing.) The valve, shut and opened
// with the gate, is where a failed feed's encoder is swapped. The scaler and encoder
// are a template (pipelines/multiview.pipeline) in a bin of their own:
//
//   tee ─► gate (open, max 5/s) ─► queue (leaky, 1) ─► valve ─► [ scale ─► JPEG ─► appsink ]
//
// The thumbnails are optional: nothing a feed's encoder does reaches the programme (its
// bin is guarded, gst/branch_guard.h). A feed that fails is switched off at once (its
// valve shut) and reported to the FailureSink as part "multiview", unit the feed; the
// engine then calls `restart`, which builds the bin anew.
#pragma once

#include <gst/app/gstappsink.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/config.h"
#include "engine/gst/contain.h"
#include "engine/gst/gst_ptr.h"
#include "engine/gst/pipeline_templates.h"

namespace hallcast::engine {

class Multiview {
 public:
  using Jpeg = std::shared_ptr<const std::vector<std::uint8_t>>;
  static constexpr int kFramesPerSecond = 5;
  static constexpr int kThumbnailWidth = 320;

  // `on_jpeg` runs on a streaming thread: hand the picture over, do not block.
  // `templates` and `failures` must outlive this object.
  Multiview(const config::Video& video, const PipelineTemplates& templates, FailureSink& failures,
            std::function<void(const std::string&, Jpeg)> on_jpeg);
  ~Multiview();
  Multiview(const Multiview&) = delete;
  Multiview& operator=(const Multiview&) = delete;

  // Add a feed named `feed` branching off `tee` (raw video) inside `bin`. Throws
  // BuildError with `path`.
  void add_feed(GstBin* bin, GstElement* tee, const std::string& feed, const std::string& path);

  // Whether anyone watches; and whether one feed is wanted at all (the bus that is on
  // air is not the preview). Both from any thread.
  void set_active(bool active);
  void set_feed_wanted(const std::string& feed, bool wanted);

  // The feed whose elements include `object` (a message's source), or "".
  std::string feed_of(GstObject* object) const;
  // `feed` failed: shut it and report it (once, until it is restarted). Any thread.
  void fail(const std::string& feed, const std::string& what);
  // Build a failed feed's encoder anew and let its pictures through again. Engine
  // thread. Throws BuildError when the template no longer builds.
  void restart(const std::string& feed);

 private:
  struct Feed {
    Multiview* self = nullptr;
    std::string name;
    GstBin* bin = nullptr;  // the pipeline, which outlives every feed
    // Whether the gate lets frames through: written with mutex_ held, read by the gate.
    std::atomic<bool> open{false};
    // The running time before which the gate lets no frame through. The tee's streaming
    // thread (the gate) only.
    GstClockTime next_frame = GST_CLOCK_TIME_NONE;
    PadProbe gate;
    ElementPtr valve;
    ElementPtr encoder;  // the bin after the valve: scale, JPEG, appsink
    int builds = 0;      // encoders built so far: each has a name of its own
    bool wanted = true;
    bool failed = false;
  };
  // What a feed's own callbacks report goes through `fail`, so the feed is shut first.
  struct FeedFailures final : FailureSink {
    Multiview* self;
    explicit FeedFailures(Multiview* m) : self(m) {}
    void failed(std::string_view part, std::string_view unit,
                std::string_view what) noexcept override;
  };
  Feed* find(const std::string& feed);  // with mutex_ held
  ElementPtr make_encoder(Feed& feed);  // throws BuildError
  void update_valves();                 // with mutex_ held
  static GstFlowReturn on_sample(GstAppSink* sink, gpointer context);
  static GstPadProbeReturn on_frame(GstPad* pad, GstPadProbeInfo* info, gpointer feed);

  int width_;
  int height_;
  const PipelineTemplates& templates_;
  FailureSink& failures_;
  FeedFailures feed_failures_{this};
  std::function<void(const std::string&, Jpeg)> on_jpeg_;
  mutable std::mutex mutex_;  // guards feeds_ and active_
  std::vector<std::unique_ptr<Feed>> feeds_;
  bool active_ = false;
};

}  // namespace hallcast::engine
