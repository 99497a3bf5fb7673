// Small helpers for building pipelines that fail with a BuildError naming the config
// value concerned, instead of returning NULL.
#pragma once

#include <string>
#include <string_view>

#include "engine/gst/build_error.h"
#include "engine/gst/gst_ptr.h"

namespace hallcast::engine {

// A new element from `factory`; `path` is the config value it serves.
ElementPtr make_element(const char* factory, const std::string& name, const std::string& path);

// A bin from a pipeline description, its unlinked pads ghosted.
ElementPtr parse_bin(const std::string& description, const std::string& name,
                     const std::string& path);

// A pipeline from a description (a single element is wrapped in a new pipeline).
ElementPtr parse_pipeline(const std::string& description, const std::string& name,
                          const std::string& path);

// The element called `name` inside `bin`, or a BuildError saying the template lacks it.
ElementPtr child_by_name(GstElement* bin, const char* name, const std::string& path);

void link_or_throw(GstElement* from, GstElement* to, const std::string& path);

// Link `from` into a new or free pad of `mux` that takes `caps` (a muxer offers video
// and audio pads; the caps choose which).
void link_to_mux(GstElement* from, GstElement* mux, GstCaps* caps, const std::string& path);

// Dispatch `pipeline`'s bus messages to `handler` on `context`'s thread until the
// returned owner goes.
SourcePtr watch_bus(GstElement* pipeline, GMainContext* context, GstBusFunc handler, gpointer data);

// What an ERROR or WARNING message says, and its debug details ("" when none). The
// text is GStreamer's: scrub it before it is logged or shown.
struct MessageText {
  std::string text;
  std::string debug;
};
MessageText message_text(GstMessage* message, const char* fallback);

// Set an enum or flags property from its nick, e.g. ("background", "black").
void set_property_from_string(GstElement* element, const char* property, const char* value);

}  // namespace hallcast::engine
