#include "engine/gst/branch_guard.h"

#include <atomic>

namespace hallcast::engine {

namespace {

struct Guard {
  std::function<void(const std::string&)> on_failure;
  std::atomic<bool> reported{false};

  void report(const char* what, const char* detail = "") noexcept {
    if (reported.exchange(true)) {
      return;
    }
    try {
      on_failure(std::string(what) + detail);
    } catch (...) {
      // Nothing to do: the failure is swallowed either way.
    }
  }
};

Guard* guard_of(GstPad* pad) {
  // The data given with the chain function below (GstPad has no getter for it).
  return static_cast<Guard*>(pad->chaindata);
}

// FLUSHING too becomes OK, unreported: the branch flushes when it is being replaced
// (an error would have been reported before) or when the whole pipeline stops, and
// upstream learns that from its own pads.
GstFlowReturn swallow(GstPad* pad, GstFlowReturn ret) {
  if (ret != GST_FLOW_OK && ret != GST_FLOW_FLUSHING) {
    guard_of(pad)->report("the branch returned ", gst_flow_get_name(ret));
  }
  return GST_FLOW_OK;
}

GstFlowReturn guarded_chain(GstPad* pad, GstObject* parent, GstBuffer* buffer) {
  const GstFlowReturn ret = gst_proxy_pad_chain_default(pad, parent, buffer);
  return swallow(pad, ret);
}

GstFlowReturn guarded_chain_list(GstPad* pad, GstObject* parent, GstBufferList* list) {
  const GstFlowReturn ret = gst_proxy_pad_chain_list_default(pad, parent, list);
  return swallow(pad, ret);
}

gboolean guarded_event(GstPad* pad, GstObject* parent, GstEvent* event) {
  const bool caps = GST_EVENT_TYPE(event) == GST_EVENT_CAPS;
  if (!gst_pad_event_default(pad, parent, event) && caps) {
    guard_of(pad)->report("the branch refused the format it was given");
  }
  return TRUE;
}

gboolean guarded_query(GstPad* pad, GstObject* parent, GstQuery* query) {
  switch (GST_QUERY_TYPE(query)) {
    case GST_QUERY_CAPS: {
      GstCaps* filter = nullptr;
      gst_query_parse_caps(query, &filter);
      GstCaps* any = gst_caps_new_any();
      gst_query_set_caps_result(query, filter != nullptr ? filter : any);
      gst_caps_unref(any);
      return TRUE;
    }
    case GST_QUERY_ACCEPT_CAPS:
      gst_query_set_accept_caps_result(query, TRUE);
      return TRUE;
    default:
      return gst_pad_query_default(pad, parent, query);
  }
}

}  // namespace

void guard_branch(GstPad* ghost_sink, std::function<void(const std::string&)> on_failure) {
  auto* guard = new Guard{std::move(on_failure)};
  // The pad owns the guard (freed with the pad), so a late buffer never finds it gone.
  gst_pad_set_chain_function_full(ghost_sink, guarded_chain, guard,
                                  [](gpointer data) { delete static_cast<Guard*>(data); });
  gst_pad_set_chain_list_function(ghost_sink, guarded_chain_list);
  gst_pad_set_event_function(ghost_sink, guarded_event);
  gst_pad_set_query_function(ghost_sink, guarded_query);
}

}  // namespace hallcast::engine
