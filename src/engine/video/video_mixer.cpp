#include "engine/video/video_mixer.h"

#include "engine/gst/build_error.h"
#include "engine/gst/gst_build.h"
#include "engine/gst/raw_format.h"

namespace hallcast::engine {

namespace {

GstClockTime running_time(const GstSegment* segment, GstClockTime pts) {
  if (segment == nullptr || !GST_CLOCK_TIME_IS_VALID(pts)) {
    return GST_CLOCK_TIME_NONE;
  }
  return gst_segment_to_running_time(segment, GST_FORMAT_TIME, pts);
}

ElementPtr make_compositor(const std::string& name, const std::string& path) {
  auto compositor = make_element("compositor", name, path);
  // Black behind anything a scene leaves uncovered; start-time-selection stays "zero"
  // so a camera that never starts cannot hold the programme up.
  set_property_from_string(compositor.get(), "background", "black");
  g_object_set(compositor.get(), "emit-signals", TRUE, nullptr);
  return compositor;
}

ElementPtr make_queue(const std::string& name, const std::string& path) {
  auto queue = make_element("queue", name, path);
  g_object_set(queue.get(), "max-size-buffers", 3, "max-size-bytes", 0, "max-size-time", guint64{0},
               nullptr);
  return queue;
}

PadPtr link_to_new_pad(GstElement* from, GstElement* compositor, const std::string& path) {
  PadPtr pad = adopt(gst_element_request_pad_simple(compositor, "sink_%u"));
  PadPtr src = adopt(gst_element_get_static_pad(from, "src"));
  if (!pad || !src || gst_pad_link(src.get(), pad.get()) != GST_PAD_LINK_OK) {
    throw BuildError(path, std::string("cannot link ") + GST_ELEMENT_NAME(from) + " into " +
                               GST_ELEMENT_NAME(compositor));
  }
  return pad;
}

}  // namespace

VideoMixer::VideoMixer(const config::Config& config, std::vector<SwitchLatency*> latencies,
                       FailureSink& failures)
    : config_(config), latencies_(std::move(latencies)), failures_(failures) {
  hidden_since_[0].store(GST_CLOCK_TIME_NONE);
  hidden_since_[1].store(0);
}

VideoMixer::~VideoMixer() = default;

GstElement* VideoMixer::build(GstBin* bin, const std::vector<GstElement*>& source_tees,
                              std::array<GstElement*, 2>& bus_outputs) {
  const std::string path = "scenes";
  const auto& v = config_.video;
  CapsPtr format = video_caps(v);
  mixer_ = make_compositor("mixer", path);
  // The mixer's inputs are the buses, which always deliver (they go on without a camera
  // that is late), each one frame after its inputs. Waiting up to one frame more for
  // them costs nothing while they keep time (the mixer goes on as soon as both frames
  // are in) and keeps it from timing out before the buses' first frames exist: that
  // made the programme's first frame black and cost it its second.
  g_object_set(mixer_.get(), "latency", gst_util_uint64_scale_int(GST_SECOND, 1, v.fps), nullptr);
  gst_bin_add(bin, mixer_.get());

  for (int b = 0; b < 2; ++b) {
    Bus& bus = buses_[b];
    const std::string name = "bus" + std::to_string(b);
    bus.compositor = make_compositor(name, path);
    gst_bin_add(bin, bus.compositor.get());
    // A pad per appearance of a source in a scene (scene_layout.h).
    const auto sources = pad_sources(config_);
    for (std::size_t k = 0; k < sources.size(); ++k) {
      auto queue = make_queue(name + "-in" + std::to_string(k), path);
      gst_bin_add(bin, queue.get());
      link_or_throw(source_tees.at(sources[k]), queue.get(), path);
      bus.pads.push_back(link_to_new_pad(queue.get(), bus.compositor.get(), path));
    }
    auto caps = make_element("capsfilter", name + "-format", path);
    g_object_set(caps.get(), "caps", format.get(), nullptr);
    auto tee = make_element("tee", name + "-tee", path);
    auto queue = make_queue(name + "-out", path);
    for (GstElement* e : {caps.get(), tee.get(), queue.get()}) {
      gst_bin_add(bin, e);
    }
    link_or_throw(bus.compositor.get(), caps.get(), path);
    link_or_throw(caps.get(), tee.get(), path);
    link_or_throw(tee.get(), queue.get(), path);
    mixer_pads_[b] = link_to_new_pad(queue.get(), mixer_.get(), path);
    bus_outputs[b] = tee.get();

    bus_callbacks_[b] = {this, b};
    bus.selected =
        SignalConnection::connect(bus.compositor.get(), "samples-selected",
                                  G_CALLBACK(&VideoMixer::on_bus_selected), &bus_callbacks_[b]);
  }
  mixer_selected_ = SignalConnection::connect(mixer_.get(), "samples-selected",
                                              G_CALLBACK(&VideoMixer::on_mixer_selected), this);

  // The opening scene on air (bus 0), the opening preview on the other (bus 1).
  const auto scene = [&](const std::string& id) -> const config::Scene* {
    for (const auto& candidate : config_.scenes) {
      if (candidate.id == id) {
        return &candidate;
      }
    }
    return config_.scenes.empty() ? nullptr : &config_.scenes.front();
  };
  if (const auto* program = scene(config_.opening_scene())) {
    apply_layout(buses_[0], layout_scene(config_, *program));
  }
  if (const auto* preview = scene(config_.opening_preview())) {
    apply_layout(buses_[1], layout_scene(config_, *preview));
  }
  g_object_set(mixer_pads_[0].get(), "alpha", 1.0, "zorder", 2u, nullptr);
  g_object_set(mixer_pads_[1].get(), "alpha", 0.0, "zorder", 1u, nullptr);
  return mixer_.get();
}

void VideoMixer::apply_layout(Bus& bus, const std::vector<PadGeometry>& layout) {
  for (std::size_t i = 0; i < layout.size() && i < bus.pads.size(); ++i) {
    const auto& g = layout[i];
    g_object_set(bus.pads[i].get(), "xpos", g.x, "ypos", g.y, "width", g.width, "height", g.height,
                 "zorder", static_cast<guint>(g.zorder), "alpha", g.alpha, nullptr);
  }
}

void VideoMixer::expect(GstClockTime frame, Clock::time_point ordered) {
  for (SwitchLatency* latency : latencies_) {
    latency->expect(frame, ordered);
  }
}

// --- engine thread -------------------------------------------------------------------

void VideoMixer::lay_out(int b, const config::Scene& scene, bool on_air,
                         Clock::time_point ordered) {
  auto layout = layout_scene(config_, scene);
  std::lock_guard lock(mutex_);
  Bus& bus = buses_[b];
  bus.pending = std::move(layout);
  bus.pending_generation = ++generation_[b];
  bus.pending_on_air = on_air;
  bus.ordered = ordered;
}

void VideoMixer::cut_to(const config::Scene& scene, Clock::time_point ordered) {
  lay_out(on_air_, scene, true, ordered);
}

void VideoMixer::preview(const config::Scene& scene) {
  lay_out(1 - on_air_, scene, false, {});
}

void VideoMixer::take(std::chrono::milliseconds fade, Clock::time_point ordered) {
  const int incoming = 1 - on_air_;
  const auto duration = static_cast<GstClockTime>(fade.count()) * GST_MSECOND;
  std::lock_guard lock(mutex_);
  takes_.push_back({incoming, generation_[incoming], duration, ordered});
  on_air_ = incoming;
}

// --- streaming threads ---------------------------------------------------------------

void VideoMixer::on_bus_selected(GstElement*, GstSegment* segment, GstClockTime pts, GstClockTime,
                                 GstClockTime, GstStructure*, gpointer data) {
  auto* callback = static_cast<BusCallback*>(data);
  VideoMixer* self = callback->self;
  contain(&self->failures_, part::kMixer, callback->bus == 0 ? "bus0" : "bus1",
          [&] { self->bus_frame(callback->bus, running_time(segment, pts)); });
}

void VideoMixer::on_mixer_selected(GstElement*, GstSegment* segment, GstClockTime pts, GstClockTime,
                                   GstClockTime, GstStructure*, gpointer self) {
  auto* mixer = static_cast<VideoMixer*>(self);
  contain(&mixer->failures_, part::kMixer, "mixer",
          [&] { mixer->mixer_frame(running_time(segment, pts)); });
}

void VideoMixer::bus_frame(int b, GstClockTime running) {
  if (!GST_CLOCK_TIME_IS_VALID(running)) {
    return;
  }
  Bus& bus = buses_[b];
  std::vector<PadGeometry> layout;
  std::uint64_t generation = 0;
  bool on_air = false;
  Clock::time_point ordered;
  {
    std::lock_guard lock(mutex_);
    if (!bus.pending) {
      return;
    }
    if (!bus.pending_on_air) {
      // A preview layout only on a frame the mixer will not show.
      const GstClockTime hidden = hidden_since_[b].load();
      if (!GST_CLOCK_TIME_IS_VALID(hidden) || running < hidden) {
        return;
      }
    }
    layout = std::move(*bus.pending);
    bus.pending.reset();
    generation = bus.pending_generation;
    on_air = bus.pending_on_air;
    ordered = bus.ordered;
  }
  apply_layout(bus, layout);
  bus.applied_at.store(running);
  bus.applied_generation.store(generation);
  if (on_air) {
    expect(running, ordered);
  }
}

void VideoMixer::show_only(int b, GstClockTime running) {
  g_object_set(mixer_pads_[b].get(), "alpha", 1.0, "zorder", 2u, nullptr);
  g_object_set(mixer_pads_[1 - b].get(), "alpha", 0.0, "zorder", 1u, nullptr);
  showing_ = b;
  hidden_since_[b].store(GST_CLOCK_TIME_NONE);
  hidden_since_[1 - b].store(running);
}

void VideoMixer::mixer_frame(GstClockTime running) {
  if (!GST_CLOCK_TIME_IS_VALID(running)) {
    return;
  }
  {
    std::lock_guard lock(mutex_);
    while (!takes_.empty()) {
      const Take take = takes_.front();
      const Bus& incoming = buses_[take.incoming];
      const bool ready = incoming.applied_generation.load() >= take.generation &&
                         incoming.applied_at.load() <= running;
      if (!ready) {
        // The incoming bus may be waiting to be hidden for its new layout: that is the
        // outgoing side of a running fade, so finish the fade now.
        if (fade_ && fade_->incoming != take.incoming) {
          show_only(fade_->incoming, running);
          fade_.reset();
        }
        break;
      }
      takes_.pop_front();
      if (fade_) {  // a take during a fade completes the fade first
        show_only(fade_->incoming, running);
        fade_.reset();
      }
      if (take.incoming == showing_) {
        continue;
      }
      expect(running, take.ordered);
      if (take.duration == 0) {
        show_only(take.incoming, running);
      } else {
        fade_ = Fade{take.incoming, running, take.duration};
        g_object_set(mixer_pads_[take.incoming].get(), "alpha", 0.0, "zorder", 2u, nullptr);
        g_object_set(mixer_pads_[1 - take.incoming].get(), "zorder", 1u, nullptr);
        hidden_since_[take.incoming].store(GST_CLOCK_TIME_NONE);
      }
    }
  }
  if (fade_) {
    const double progress =
        static_cast<double>(running - std::min(running, fade_->start)) / fade_->duration;
    if (progress >= 1.0) {
      show_only(fade_->incoming, running);
      fade_.reset();
    } else {
      g_object_set(mixer_pads_[fade_->incoming].get(), "alpha", progress, nullptr);
    }
  }
}

}  // namespace hallcast::engine
