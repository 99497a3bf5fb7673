// Failure containment for every callback that GLib or GStreamer makes into hallcast:
// posted work and timers, bus watches, pad probes, signal handlers, appsink callbacks.
//
// An exception must never unwind into the C frames that called us: that is undefined
// behaviour, and in practice std::terminate, which would end the show for a fault in a
// thumbnail. So each such callback runs its body through `contain`, which catches
// everything and hands it to a FailureSink; the engine's sink logs it (scrubbed), shows
// it in the state and decides what becomes of the part that failed (engine/health.h).
#pragma once

#include <exception>
#include <string>
#include <string_view>
#include <type_traits>

namespace hallcast::engine {

// The parts of the engine a failure is charged to, as the state names them.
namespace part {
inline constexpr std::string_view kEngine = "engine";        // posted work, timers, listeners
inline constexpr std::string_view kMultiview = "multiview";  // unit: the feed
inline constexpr std::string_view kCaptions = "captions";    // unit: the overlay, or ""
inline constexpr std::string_view kMeters = "meters";        // unit: the track or the reading
inline constexpr std::string_view kAudio = "audio";          // limiter, ducking, voice detection
inline constexpr std::string_view kMixer = "mixer";          // the vision mixer's callbacks
inline constexpr std::string_view kInputs = "inputs";        // unit: the source id
inline constexpr std::string_view kPtz = "ptz";              // unit: the camera, or the task
inline constexpr std::string_view kListen = "listen";        // unit: the tap listened to
}  // namespace part

class FailureSink {
 public:
  virtual ~FailureSink() = default;
  // `unit` says which one of the part's pieces failed (a feed, a caption, a track), or
  // "". `what` is the exception's text, not yet scrubbed. Any thread; never throws,
  // never blocks.
  virtual void failed(std::string_view part, std::string_view unit,
                      std::string_view what) noexcept = 0;
};

namespace detail {
// Hands the exception in flight to `sink` (or drops it when there is none).
void report_current(FailureSink* sink, std::string_view part, std::string_view unit) noexcept;
}  // namespace detail

// Run `body`; if it throws, report to `sink` and return `fallback` instead.
template <typename R, typename F>
R contain(FailureSink* sink, std::string_view part, std::string_view unit, R fallback,
          F&& body) noexcept {
  try {
    return body();
  } catch (...) {
    detail::report_current(sink, part, unit);
  }
  return fallback;
}

// The same for a body that returns nothing; true when it ran to its end.
template <typename F>
bool contain(FailureSink* sink, std::string_view part, std::string_view unit, F&& body) noexcept {
  try {
    body();
    return true;
  } catch (...) {
    detail::report_current(sink, part, unit);
  }
  return false;
}

}  // namespace hallcast::engine
