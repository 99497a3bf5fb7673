// RAII owners for GStreamer and GLib handles.
//
// Each owner holds exactly one reference and drops it with the right unref. They are
// move-only (std::unique_ptr underneath). Three ways in, by what the caller was given:
// `adopt` a reference already owned (transfer full), `retain` one owned by somebody
// else (transfer none), `sink_floating` a fresh element from a factory or gst_parse_*,
// so an owner never holds a floating reference that a bin could silently take over.
#pragma once

#include <glib-object.h>
#include <gst/gst.h>

#include <memory>
#include <utility>

namespace hallcast::engine {

struct ObjectUnref {
  void operator()(gpointer p) const { gst_object_unref(p); }
};
struct CapsUnref {
  void operator()(GstCaps* p) const { gst_caps_unref(p); }
};
struct BufferUnref {
  void operator()(GstBuffer* p) const { gst_buffer_unref(p); }
};
struct SampleUnref {
  void operator()(GstSample* p) const { gst_sample_unref(p); }
};
struct MessageUnref {
  void operator()(GstMessage* p) const { gst_message_unref(p); }
};
struct EventUnref {
  void operator()(GstEvent* p) const { gst_event_unref(p); }
};
struct StructureFree {
  void operator()(GstStructure* p) const { gst_structure_free(p); }
};
struct ErrorFree {
  void operator()(GError* p) const { g_error_free(p); }
};
struct GFree {
  void operator()(gpointer p) const { g_free(p); }
};
struct MainContextUnref {
  void operator()(GMainContext* p) const { g_main_context_unref(p); }
};
struct MainLoopUnref {
  void operator()(GMainLoop* p) const { g_main_loop_unref(p); }
};
// A GSource we attached: detach it from its context, then drop our reference.
struct SourceDestroy {
  void operator()(GSource* p) const {
    g_source_destroy(p);
    g_source_unref(p);
  }
};

template <typename T>
using ObjectPtr = std::unique_ptr<T, ObjectUnref>;
using ElementPtr = ObjectPtr<GstElement>;
using PadPtr = ObjectPtr<GstPad>;
using BusPtr = ObjectPtr<GstBus>;
using ClockPtr = ObjectPtr<GstClock>;
using CapsPtr = std::unique_ptr<GstCaps, CapsUnref>;
using BufferPtr = std::unique_ptr<GstBuffer, BufferUnref>;
using SamplePtr = std::unique_ptr<GstSample, SampleUnref>;
using MessagePtr = std::unique_ptr<GstMessage, MessageUnref>;
using EventPtr = std::unique_ptr<GstEvent, EventUnref>;
using StructurePtr = std::unique_ptr<GstStructure, StructureFree>;
using ErrorPtr = std::unique_ptr<GError, ErrorFree>;
using CharPtr = std::unique_ptr<gchar, GFree>;
using MainContextPtr = std::unique_ptr<GMainContext, MainContextUnref>;
using MainLoopPtr = std::unique_ptr<GMainLoop, MainLoopUnref>;
using SourcePtr = std::unique_ptr<GSource, SourceDestroy>;

// Take ownership of a reference the caller already owns (transfer full, not floating).
template <typename T>
ObjectPtr<T> adopt(T* object) {
  return ObjectPtr<T>(object);
}

// Own a new reference to an object somebody else owns (transfer none): an element a
// bin holds, a pad handed to a callback.
template <typename T>
ObjectPtr<T> retain(T* object) {
  if (object != nullptr) {
    gst_object_ref(object);
  }
  return ObjectPtr<T>(object);
}

// Own a fresh object: sinks its floating reference (a non-floating one gets a reference
// added, as with `retain`).
template <typename T>
ObjectPtr<T> sink_floating(T* object) {
  if (object != nullptr) {
    gst_object_ref_sink(object);
  }
  return ObjectPtr<T>(object);
}

// A signal handler that is disconnected when this owner goes. Holds a reference to
// the instance so the disconnect is always safe.
class SignalConnection {
 public:
  SignalConnection() = default;
  SignalConnection(gpointer instance, gulong handler_id)
      : instance_(instance != nullptr ? g_object_ref(instance) : nullptr), id_(handler_id) {}
  SignalConnection(SignalConnection&& other) noexcept
      : instance_(std::exchange(other.instance_, nullptr)), id_(std::exchange(other.id_, 0)) {}
  SignalConnection& operator=(SignalConnection&& other) noexcept {
    if (this != &other) {
      reset();
      instance_ = std::exchange(other.instance_, nullptr);
      id_ = std::exchange(other.id_, 0);
    }
    return *this;
  }
  SignalConnection(const SignalConnection&) = delete;
  SignalConnection& operator=(const SignalConnection&) = delete;
  ~SignalConnection() { reset(); }

  // Connect `callback` to `signal` of `instance`, owned from the start.
  static SignalConnection connect(gpointer instance, const char* signal, GCallback callback,
                                  gpointer data) {
    return SignalConnection(instance, g_signal_connect(instance, signal, callback, data));
  }

  void reset() {
    if (instance_ != nullptr) {
      if (id_ != 0) {
        g_signal_handler_disconnect(instance_, id_);
      }
      g_object_unref(instance_);
    }
    instance_ = nullptr;
    id_ = 0;
  }
  bool connected() const { return instance_ != nullptr && id_ != 0; }

 private:
  gpointer instance_ = nullptr;
  gulong id_ = 0;
};

// A pad probe that is removed when this owner goes.
class PadProbe {
 public:
  PadProbe() = default;
  PadProbe(GstPad* pad, gulong probe_id) : pad_(retain(pad)), id_(probe_id) {}
  PadProbe(PadProbe&& other) noexcept
      : pad_(std::move(other.pad_)), id_(std::exchange(other.id_, 0)) {}
  PadProbe& operator=(PadProbe&& other) noexcept {
    if (this != &other) {
      reset();
      pad_ = std::move(other.pad_);
      id_ = std::exchange(other.id_, 0);
    }
    return *this;
  }
  PadProbe(const PadProbe&) = delete;
  PadProbe& operator=(const PadProbe&) = delete;
  ~PadProbe() { reset(); }

  // Add `callback` to `pad` for `mask`, owned from the start.
  static PadProbe add(GstPad* pad, GstPadProbeType mask, GstPadProbeCallback callback,
                      gpointer data) {
    return PadProbe(pad, gst_pad_add_probe(pad, mask, callback, data, nullptr));
  }

  void reset() {
    if (pad_ && id_ != 0) {
      gst_pad_remove_probe(pad_.get(), id_);
    }
    pad_.reset();
    id_ = 0;
  }

 private:
  PadPtr pad_;
  gulong id_ = 0;
};

// A pipeline owner that sets the pipeline to NULL before dropping the last reference,
// as GStreamer requires.
class PipelineOwner {
 public:
  PipelineOwner() = default;
  explicit PipelineOwner(ElementPtr pipeline) : pipeline_(std::move(pipeline)) {}
  PipelineOwner(PipelineOwner&&) noexcept = default;
  PipelineOwner& operator=(PipelineOwner&& other) noexcept {
    if (this != &other) {
      reset();
      pipeline_ = std::move(other.pipeline_);
    }
    return *this;
  }
  ~PipelineOwner() { reset(); }

  void reset() {
    if (pipeline_) {
      gst_element_set_state(pipeline_.get(), GST_STATE_NULL);
      pipeline_.reset();
    }
  }
  GstElement* get() const { return pipeline_.get(); }
  GstBin* bin() const { return GST_BIN(pipeline_.get()); }
  GstPipeline* pipeline() const { return GST_PIPELINE(pipeline_.get()); }
  explicit operator bool() const { return static_cast<bool>(pipeline_); }

 private:
  ElementPtr pipeline_;
};

}  // namespace hallcast::engine
