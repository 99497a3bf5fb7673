#include "app/logging.h"

#include <gst/gst.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <string_view>

namespace hallcast::app {

namespace {

class RedactingSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit RedactingSink(const common::Redactor& redactor) : redactor_(redactor) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    const std::string text = redactor_.scrub(std::string_view(formatted.data(), formatted.size()));
    std::fwrite(text.data(), 1, text.size(), stderr);
  }
  void flush_() override { std::fflush(stderr); }

 private:
  const common::Redactor& redactor_;
};

// GStreamer's levels run from ERROR (1) up to MEMDUMP (9); the two between ERROR and
// INFO are warnings of one kind or another.
spdlog::level::level_enum from_gst(GstDebugLevel level) {
  if (level <= GST_LEVEL_ERROR) {
    return spdlog::level::err;
  }
  if (level < GST_LEVEL_INFO) {
    return spdlog::level::warn;
  }
  if (level == GST_LEVEL_INFO) {
    return spdlog::level::info;
  }
  return level == GST_LEVEL_DEBUG ? spdlog::level::debug : spdlog::level::trace;
}

// GStreamer warnings that say nothing an operator can act on, logged at debug level so
// that a warning in the log always means something. The mixers ask for their inputs'
// latency when the pipeline starts; the test sources cannot answer until they have
// agreed a format, so the first answers fail, and the mixers ask again and get it.
bool benign(GstDebugCategory* category, const gchar* text) {
  return std::string_view(gst_debug_category_get_name(category)) == "aggregator" &&
         text != nullptr && std::string_view(text) == "Latency query failed";
}

void gst_to_spdlog(GstDebugCategory* category, GstDebugLevel level, const gchar*, const gchar*,
                   gint, GObject* object, GstDebugMessage* message, gpointer) {
  const gchar* text = gst_debug_message_get(message);
  const gchar* name = object != nullptr && GST_IS_OBJECT(object) ? GST_OBJECT_NAME(object) : "";
  const auto spd_level =
      level == GST_LEVEL_WARNING && benign(category, text) ? spdlog::level::debug : from_gst(level);
  spdlog::log(spd_level, "gst {} {}: {}", gst_debug_category_get_name(category),
              name != nullptr ? name : "", text != nullptr ? text : "");
}

void glib_to_spdlog(const gchar* domain, GLogLevelFlags flags, const gchar* message, gpointer) {
  const auto level = (flags & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) != 0 ? spdlog::level::err
                     : (flags & G_LOG_LEVEL_WARNING) != 0                      ? spdlog::level::warn
                                                          : spdlog::level::debug;
  spdlog::log(level, "{}: {}", domain != nullptr ? domain : "glib",
              message != nullptr ? message : "");
}

}  // namespace

void setup_logging(const std::string& level, const common::Redactor& redactor) {
  auto sink = std::make_shared<RedactingSink>(redactor);
  auto logger = std::make_shared<spdlog::logger>("hallcast", sink);
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %-5l %v");
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);

  gst_init(nullptr, nullptr);
  gst_debug_add_log_function(&gst_to_spdlog, nullptr, nullptr);
  gst_debug_remove_log_function(gst_debug_log_default);
  g_log_set_default_handler(&glib_to_spdlog, nullptr);
}

}  // namespace hallcast::app
