// The border between GStreamer's C callbacks (bus watches, pad probes, signal handlers,
// appsink callbacks, GLib timers) and the outputs' C++. An exception must never unwind
// into C — that is std::terminate, and the whole show with it — so every callback runs
// its body through `guarded`, which hands whatever was thrown to `on_failure` as text:
// the destination concerned turns it into its own failure, and the callback returns
// normally.
#pragma once

#include <exception>
#include <string>

namespace hallcast::engine {

// Runs `body`; an exception becomes a call to `on_failure(text)`. Neither may escape:
// if `on_failure` throws too, that is swallowed (there is nothing left to tell).
template <typename Body, typename OnFailure>
void guarded(Body&& body, OnFailure&& on_failure) noexcept {
  std::string text;
  try {
    body();
    return;
  } catch (const std::exception& e) {
    try {
      text = e.what();
    } catch (...) {
    }
  } catch (...) {
  }
  try {
    on_failure(text.empty() ? std::string("unexpected failure") : "internal error: " + text);
  } catch (...) {
  }
}

}  // namespace hallcast::engine
