#include "engine/gst/gst_build.h"

namespace hallcast::engine {

StartupError::StartupError(std::vector<config::Problem> problems)
    : std::runtime_error([&] {
        std::string text;
        for (const auto& p : problems) {
          text += (text.empty() ? "" : "\n") + p.to_string();
        }
        return text;
      }()),
      problems_(std::move(problems)) {}

ElementPtr make_element(const char* factory, const std::string& name, const std::string& path) {
  ElementPtr element = sink_floating(gst_element_factory_make(factory, name.c_str()));
  if (!element) {
    throw BuildError(path, std::string("no GStreamer element \"") + factory +
                               "\" (is its plugin package installed?)");
  }
  return element;
}

namespace {

std::string describe(GError* error) {
  return error != nullptr && error->message != nullptr ? error->message : "unknown error";
}

}  // namespace

ElementPtr parse_bin(const std::string& description, const std::string& name,
                     const std::string& path) {
  GError* raw_error = nullptr;
  GstElement* bin = gst_parse_bin_from_description_full(description.c_str(), TRUE, nullptr,
                                                        GST_PARSE_FLAG_FATAL_ERRORS, &raw_error);
  ErrorPtr error(raw_error);
  ElementPtr owned = sink_floating(bin);
  if (error || !owned) {
    throw BuildError(path, "pipeline \"" + description + "\": " + describe(error.get()));
  }
  gst_object_set_name(GST_OBJECT(owned.get()), name.c_str());
  return owned;
}

ElementPtr parse_pipeline(const std::string& description, const std::string& name,
                          const std::string& path) {
  GError* raw_error = nullptr;
  GstElement* parsed =
      gst_parse_launch_full(description.c_str(), nullptr, GST_PARSE_FLAG_FATAL_ERRORS, &raw_error);
  ErrorPtr error(raw_error);
  ElementPtr owned = sink_floating(parsed);
  if (error || !owned) {
    throw BuildError(path, "pipeline \"" + description + "\": " + describe(error.get()));
  }
  if (GST_IS_PIPELINE(owned.get())) {
    gst_object_set_name(GST_OBJECT(owned.get()), name.c_str());
    return owned;
  }
  ElementPtr pipeline = sink_floating(gst_pipeline_new(name.c_str()));
  gst_bin_add(GST_BIN(pipeline.get()), owned.get());  // the bin takes its own reference
  return pipeline;
}

ElementPtr child_by_name(GstElement* bin, const char* name, const std::string& path) {
  ElementPtr child = adopt(gst_bin_get_by_name(GST_BIN(bin), name));
  if (!child) {
    throw BuildError(path, std::string("pipeline template has no element named \"") + name + "\"");
  }
  return child;
}

void link_or_throw(GstElement* from, GstElement* to, const std::string& path) {
  if (!gst_element_link(from, to)) {
    throw BuildError(path, std::string("cannot link ") + GST_ELEMENT_NAME(from) + " to " +
                               GST_ELEMENT_NAME(to) + " (incompatible formats?)");
  }
}

SourcePtr watch_bus(GstElement* pipeline, GMainContext* context, GstBusFunc handler,
                    gpointer data) {
  BusPtr bus = adopt(gst_element_get_bus(pipeline));
  SourcePtr watch(gst_bus_create_watch(bus.get()));
  g_source_set_callback(watch.get(), G_SOURCE_FUNC(handler), data, nullptr);
  g_source_attach(watch.get(), context);
  return watch;
}

namespace {

// A request pad named for the media kind ("video", "audio_%u"), when `mux` has one.
// Sinks that take anything on every pad (splitmuxsink, hlssink2) cannot be told
// apart by caps: the first template always matches.
PadPtr request_pad_for_kind(GstElement* mux, GstCaps* caps) {
  if (gst_caps_is_empty(caps) || gst_caps_is_any(caps)) {
    return nullptr;
  }
  const std::string media = gst_structure_get_name(gst_caps_get_structure(caps, 0));
  const std::string kind = media.substr(0, media.find('/'));
  for (const GList* item = gst_element_class_get_pad_template_list(GST_ELEMENT_GET_CLASS(mux));
       item != nullptr; item = item->next) {
    auto* templ = static_cast<GstPadTemplate*>(item->data);
    const std::string name = GST_PAD_TEMPLATE_NAME_TEMPLATE(templ);
    if (GST_PAD_TEMPLATE_DIRECTION(templ) == GST_PAD_SINK &&
        GST_PAD_TEMPLATE_PRESENCE(templ) == GST_PAD_REQUEST && name.rfind(kind, 0) == 0) {
      return adopt(gst_element_request_pad_simple(mux, name.c_str()));
    }
  }
  return nullptr;
}

}  // namespace

void link_to_mux(GstElement* from, GstElement* mux, GstCaps* caps, const std::string& path) {
  PadPtr src = adopt(gst_element_get_static_pad(from, "src"));
  PadPtr sink = request_pad_for_kind(mux, caps);
  if (!sink && src) {
    sink = adopt(gst_element_get_compatible_pad(mux, src.get(), caps));
  }
  if (!sink || gst_pad_link(src.get(), sink.get()) != GST_PAD_LINK_OK) {
    CharPtr text(gst_caps_to_string(caps));
    throw BuildError(path,
                     std::string("the muxer ") + GST_ELEMENT_NAME(mux) + " takes no " + text.get());
  }
}

MessageText message_text(GstMessage* message, const char* fallback) {
  GError* raw = nullptr;
  gchar* debug_raw = nullptr;
  if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ERROR) {
    gst_message_parse_error(message, &raw, &debug_raw);
  } else if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_WARNING) {
    gst_message_parse_warning(message, &raw, &debug_raw);
  }
  ErrorPtr error(raw);
  CharPtr debug(debug_raw);
  return {error && error->message ? error->message : fallback, debug ? debug.get() : ""};
}

void set_property_from_string(GstElement* element, const char* property, const char* value) {
  gst_util_set_object_arg(G_OBJECT(element), property, value);
}

}  // namespace hallcast::engine
