#include "app/logging.h"

#include <gst/gst.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <string_view>

#include "app/log_lines.h"

namespace hallcast::app {

namespace {

// Every line passes here: scrubbed of secrets, its control characters escaped, and
// repeats held back (app/log_lines.h).
class SafeSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit SafeSink(const common::Redactor& redactor) : redactor_(redactor) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const auto now = RepeatLimiter::Clock::now();
    write_expired(now);
    const std::string_view payload(msg.payload.data(), msg.payload.size());
    auto decision = limiter_.admit(msg.level, payload, now);
    if (decision.held_before > 0) {
      write_held({msg.level, std::move(decision.held_sample), decision.held_before});
    }
    if (decision.write) {
      write(msg);
    }
  }
  // spdlog's periodic flush (setup_logging) also reports what was held back when the
  // log has gone quiet.
  void flush_() override {
    write_expired(RepeatLimiter::Clock::now());
    std::fflush(stderr);
  }

 private:
  void write(const spdlog::details::log_msg& msg) {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    const std::string_view text(formatted.data(), formatted.size());
    // The formatter ends the line; everything before that end is one line, whatever
    // the message held.
    const auto last = text.find_last_not_of("\r\n");
    const std::string_view body = text.substr(0, last == std::string_view::npos ? 0 : last + 1);
    const std::string line =
        escape_controls(redactor_.scrub(body)) + std::string(text.substr(body.size()));
    std::fwrite(line.data(), 1, line.size(), stderr);
  }

  void write_held(const RepeatLimiter::Held& held) {
    const std::string text =
        fmt::format("held back {} more lines like: {}", held.count, held.sample);
    write(spdlog::details::log_msg(spdlog::source_loc{}, "hallcast",
                                   static_cast<spdlog::level::level_enum>(held.level), text));
  }

  void write_expired(RepeatLimiter::Clock::time_point now) {
    for (const auto& held : limiter_.take_expired(now)) {
      write_held(held);
    }
  }

  const common::Redactor& redactor_;
  RepeatLimiter limiter_;  // guarded by base_sink's mutex
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
  auto sink = std::make_shared<SafeSink>(redactor);
  auto logger = std::make_shared<spdlog::logger>("hallcast", sink);
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %-5l %v");
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::info);
  // Also the moment the sink reports lines it held back once the log has gone quiet.
  spdlog::flush_every(std::chrono::seconds(1));
  spdlog::set_default_logger(logger);

  gst_init(nullptr, nullptr);
  gst_debug_add_log_function(&gst_to_spdlog, nullptr, nullptr);
  gst_debug_remove_log_function(gst_debug_log_default);
  g_log_set_default_handler(&glib_to_spdlog, nullptr);
}

}  // namespace hallcast::app
