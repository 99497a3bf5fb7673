// Multiview thumbnails: small JPEGs of each source, the preview and the programme, a
// few times a second, for the operator panel. Each feed branches off a tee through a
// leaky queue, a rate limiter and a valve; the valve stays shut unless someone watches,
// so an unwatched multiview costs no scaling and no encoding at all.
//
//   tee ─► queue (leaky, 1) ─► videorate (max 5/s) ─► valve ─► videoscale ─► jpegenc ─► appsink
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gst/app/gstappsink.h>

#include "engine/gst/gst_ptr.h"

namespace hallcast::engine {

class Multiview {
 public:
  using Jpeg = std::shared_ptr<const std::vector<std::uint8_t>>;
  // `on_jpeg` runs on a streaming thread: hand the picture over, do not block.
  Multiview(int frame_width, int frame_height,
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

  static constexpr int kFramesPerSecond = 5;

 private:
  struct Feed {
    std::string name;
    ElementPtr valve;
    bool wanted = true;
  };
  void update_valves();  // with mutex_ held
  static GstFlowReturn on_sample(GstAppSink* sink, gpointer feed_name);

  int width_;
  int height_;
  std::function<void(const std::string&, Jpeg)> on_jpeg_;
  std::mutex mutex_;  // guards feeds_ and active_
  std::vector<std::unique_ptr<Feed>> feeds_;
  bool active_ = false;
};

}  // namespace hallcast::engine
