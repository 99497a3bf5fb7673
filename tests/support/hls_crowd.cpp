// The crowd of HLS viewers (see hls_crowd.h).
#include "support/hls_crowd.h"

#include <glib.h>
#include <libsoup/soup.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

namespace hallcast::testing {

namespace {

using Clock = std::chrono::steady_clock;

// hls.js starts this many segments back from the live edge, and plays once they are in.
constexpr int kStartSegments = 3;
// A play position this far past what has arrived is a stall a viewer would see.
constexpr double kStallTolerance_s = 0.25;

struct Segment {
  std::string name;
  double duration_s = 0.0;
};

struct MediaPlaylist {
  double target_s = 1.0;
  std::vector<Segment> segments;
};

MediaPlaylist parse_media(const std::string& text) {
  MediaPlaylist playlist;
  std::istringstream in(text);
  double duration = 0.0;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.rfind("#EXT-X-TARGETDURATION:", 0) == 0) {
      playlist.target_s = std::stod(line.substr(22));
    } else if (line.rfind("#EXTINF:", 0) == 0) {
      duration = std::stod(line.substr(8));
    } else if (!line.empty() && line[0] != '#') {
      playlist.segments.push_back({line, duration});
    }
  }
  return playlist;
}

// The folder part of a path: "/hls/web/video/index.m3u8" → "/hls/web/video/".
std::string folder_of(const std::string& path) {
  return path.substr(0, path.rfind('/') + 1);
}

class Crowd;

class Viewer {
 public:
  Viewer(Crowd& crowd, int index) : crowd_(crowd), index_(index) {}
  void begin();
  void check_playback(Clock::time_point now);
  bool playing() const { return play_start_.has_value(); }
  bool stalled() const { return stalls_ > 0; }
  double worst_stall_s() const { return worst_stall_s_; }

 private:
  enum class Kind { page, master, video_playlist, audio_playlist, video_segment, audio_segment };
  struct Fetch {
    std::string path;
    Kind kind;
    double duration_s = 0.0;
  };
  struct Rendition {
    std::string playlist;
    std::set<std::string> taken;  // segments queued or fetched
    bool started = false;
  };

  void get(Fetch fetch);
  void answered(const Fetch& fetch, unsigned status, const std::string& body);
  void round();
  void next();
  void take_playlist(Rendition& rendition, const std::string& body, Kind segment_kind);

  Crowd& crowd_;
  int index_;
  std::string master_;
  std::string language_;
  Rendition video_;
  Rendition audio_;
  double target_s_ = 1.0;
  std::deque<Fetch> queue_;
  Clock::time_point round_start_{};
  // Playback: how much video has arrived, and since when it plays.
  int video_in_ = 0;
  double buffered_s_ = 0.0;
  std::optional<Clock::time_point> play_start_;
  int stalls_ = 0;
  double worst_stall_s_ = 0.0;
  friend class Crowd;
};

class Crowd {
 public:
  explicit Crowd(const CrowdOptions& options)
      : options_(options),
        context_(g_main_context_new()),
        session_(nullptr),
        cancellable_(g_cancellable_new()) {
    g_main_context_push_thread_default(context_);
    session_ =
        soup_session_new_with_options("max-conns", 4 * options.viewers + 16, "max-conns-per-host",
                                      4 * options.viewers + 16, "timeout", 10, nullptr);
  }
  ~Crowd() {
    g_cancellable_cancel(cancellable_);
    // Let the cancelled requests come back before their viewers go.
    while (in_flight_ > 0 && g_main_context_iteration(context_, TRUE)) {
    }
    g_object_unref(session_);
    g_object_unref(cancellable_);
    g_main_context_pop_thread_default(context_);
    g_main_context_unref(context_);
  }

  CrowdReport run() {
    for (int i = 0; i < options_.viewers; ++i) {
      viewers_.push_back(std::make_unique<Viewer>(*this, i));
    }
    const auto start = Clock::now();
    const auto arrival = options_.arrival.count();
    for (int i = 0; i < options_.viewers; ++i) {
      const auto delay = options_.viewers > 1 ? arrival * i / (options_.viewers - 1) : 0;
      later(static_cast<unsigned>(delay), [viewer = viewers_[i].get()] { viewer->begin(); });
    }
    end_ = start + options_.arrival + options_.duration;
    while (Clock::now() < end_) {
      g_main_context_iteration(context_, TRUE);
    }
    stopped_ = true;
    const auto now = Clock::now();
    for (auto& viewer : viewers_) {
      viewer->check_playback(now);
      report_.viewers_playing += viewer->playing() ? 1 : 0;
      report_.viewers_stalled += viewer->stalled() ? 1 : 0;
      report_.worst_stall_s = std::max(report_.worst_stall_s, viewer->worst_stall_s());
    }
    return report_;
  }

  bool stopped() const { return stopped_ || Clock::now() >= end_; }
  const CrowdOptions& options() const { return options_; }
  CrowdReport& report() { return report_; }

  void later(unsigned delay_ms, std::function<void()> work) {
    auto* job = new std::function<void()>(std::move(work));
    GSource* source = g_timeout_source_new(delay_ms);
    g_source_set_callback(
        source,
        [](gpointer data) -> gboolean {
          (*static_cast<std::function<void()>*>(data))();
          return G_SOURCE_REMOVE;
        },
        job, [](gpointer data) { delete static_cast<std::function<void()>*>(data); });
    g_source_attach(source, context_);
    g_source_unref(source);
  }

  // GETs `path`; `done` gets the status (0: no answer), the body (with no answer: why)
  // and X-Cache-Status.
  void get(const std::string& path, std::function<void(unsigned, std::string, std::string)> done) {
    const std::string url = "http://127.0.0.1:" + std::to_string(options_.port) + path;
    SoupMessage* message = soup_message_new(SOUP_METHOD_GET, url.c_str());
    struct Call {
      Crowd* crowd;
      SoupMessage* message;
      std::function<void(unsigned, std::string, std::string)> done;
      std::string path;
      Clock::time_point sent;
    };
    ++in_flight_;
    ++report_.requests;
    soup_session_send_and_read_async(
        session_, message, G_PRIORITY_DEFAULT, cancellable_,
        [](GObject* session, GAsyncResult* result, gpointer data) {
          std::unique_ptr<Call> call(static_cast<Call*>(data));
          GError* error = nullptr;
          GBytes* bytes = soup_session_send_and_read_finish(SOUP_SESSION(session), result, &error);
          --call->crowd->in_flight_;
          std::string body;
          if (bytes != nullptr) {
            gsize size = 0;
            const auto* data_ = static_cast<const char*>(g_bytes_get_data(bytes, &size));
            body.assign(data_ == nullptr ? "" : data_, size);
            g_bytes_unref(bytes);
          }
          const bool cancelled =
              error != nullptr && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          const unsigned status = error != nullptr ? 0 : soup_message_get_status(call->message);
          const char* cache = soup_message_headers_get_one(
              soup_message_get_response_headers(call->message), "X-Cache-Status");
          const std::string cache_status = cache == nullptr ? "" : cache;
          if (error != nullptr) {
            body = error->message;
            g_error_free(error);
          }
          g_object_unref(call->message);
          if (!cancelled && !call->crowd->stopped_) {
            CrowdReport& report = call->crowd->report_;
            const double took = std::chrono::duration<double>(Clock::now() - call->sent).count();
            if (took > report.slowest_s) {
              report.slowest_s = took;
              report.slowest =
                  call->path + " (" + (cache_status.empty() ? "-" : cache_status) + ")";
            }
            report.bytes += body.size();
            call->done(status, std::move(body), cache_status);
          }
        },
        new Call{this, message, std::move(done), path, Clock::now()});
  }

 private:
  CrowdOptions options_;
  GMainContext* context_;
  SoupSession* session_;
  GCancellable* cancellable_;
  std::vector<std::unique_ptr<Viewer>> viewers_;
  CrowdReport report_;
  Clock::time_point end_{};
  bool stopped_ = false;
  int in_flight_ = 0;
};

void Viewer::begin() {
  get({crowd_.options().watch_json, Kind::page});
}

void Viewer::get(Fetch fetch) {
  crowd_.get(fetch.path, [this, fetch](unsigned status, std::string body, std::string cache) {
    CrowdReport& report = crowd_.report();
    const bool segment = fetch.kind == Kind::video_segment || fetch.kind == Kind::audio_segment;
    if (segment) {
      ++report.segment_requests;
      if (cache == "HIT" || cache == "STALE" || cache == "UPDATING" || cache == "REVALIDATED") {
        ++report.segments_from_cache;
      }
    } else if (fetch.kind == Kind::video_playlist || fetch.kind == Kind::audio_playlist) {
      ++report.playlist_requests;
    }
    if (status != 200) {
      ++report.errors;
      if (report.first_errors.size() < 5) {
        report.first_errors.push_back(
            "viewer " + std::to_string(index_) + ": GET " + fetch.path + ": " +
            (status == 0 ? "no answer (" + body + ")" : std::to_string(status)));
      }
      // Like a player: try again a target duration later.
      queue_.clear();
      const bool opening = fetch.kind == Kind::page || fetch.kind == Kind::master;
      crowd_.later(static_cast<unsigned>(target_s_ * 1000), [this, opening] {
        if (opening) {
          begin();
        } else {
          round();
        }
      });
      return;
    }
    answered(fetch, status, body);
  });
}

void Viewer::answered(const Fetch& fetch, unsigned, const std::string& body) {
  switch (fetch.kind) {
    case Kind::page: {
      const auto page = nlohmann::json::parse(body, nullptr, false);
      master_ = page.is_object() ? page.value("playlist", "") : "";
      language_ = crowd_.options().language.empty() && page.is_object() ? page.value("language", "")
                                                                        : crowd_.options().language;
      get({master_, Kind::master});
      return;
    }
    case Kind::master: {
      // The variant's URI and the chosen language's audio rendition.
      std::istringstream in(body);
      const std::regex media(R"re(#EXT-X-MEDIA:TYPE=AUDIO.*LANGUAGE="([^"]*)".*URI="([^"]*)")re");
      for (std::string line; std::getline(in, line);) {
        std::smatch match;
        if (std::regex_search(line, match, media) &&
            (audio_.playlist.empty() || match[1] == language_)) {
          audio_.playlist = folder_of(master_) + match[2].str();
        } else if (!line.empty() && line[0] != '#' && line.find(".m3u8") != std::string::npos) {
          video_.playlist = folder_of(master_) + line;
        }
      }
      round();
      return;
    }
    case Kind::video_playlist:
      take_playlist(video_, body, Kind::video_segment);
      break;
    case Kind::audio_playlist:
      take_playlist(audio_, body, Kind::audio_segment);
      break;
    case Kind::video_segment: {
      const auto now = Clock::now();
      check_playback(now);
      buffered_s_ += fetch.duration_s;
      if (++video_in_ >= kStartSegments && !play_start_) {
        play_start_ = now;
      }
      break;
    }
    case Kind::audio_segment:
      break;
  }
  next();
}

void Viewer::take_playlist(Rendition& rendition, const std::string& body, Kind segment_kind) {
  const MediaPlaylist playlist = parse_media(body);
  target_s_ = playlist.target_s;
  const auto& segments = playlist.segments;
  std::size_t from = 0;
  if (!rendition.started) {
    from = segments.size() > kStartSegments ? segments.size() - kStartSegments : 0;
    rendition.started = !segments.empty();
  }
  const std::string folder = folder_of(rendition.playlist);
  for (std::size_t i = from; i < segments.size(); ++i) {
    if (rendition.taken.insert(segments[i].name).second) {
      queue_.push_back({folder + segments[i].name, segment_kind, segments[i].duration_s});
    }
  }
}

void Viewer::round() {
  if (crowd_.stopped()) {
    return;
  }
  round_start_ = Clock::now();
  queue_.clear();
  queue_.push_back({video_.playlist, Kind::video_playlist});
  queue_.push_back({audio_.playlist, Kind::audio_playlist});
  next();
}

void Viewer::next() {
  if (crowd_.stopped()) {
    return;
  }
  if (queue_.empty()) {
    // The next poll a target duration after this one began, as hls.js does.
    const auto spent = std::chrono::duration<double>(Clock::now() - round_start_).count();
    const double wait = std::max(0.0, target_s_ - spent);
    crowd_.later(static_cast<unsigned>(wait * 1000), [this] { round(); });
    return;
  }
  Fetch fetch = queue_.front();
  queue_.pop_front();
  get(std::move(fetch));
}

void Viewer::check_playback(Clock::time_point now) {
  if (!play_start_) {
    return;
  }
  const double position = std::chrono::duration<double>(now - *play_start_).count();
  if (position > buffered_s_ + kStallTolerance_s) {
    // The player waited this long with nothing to show; it plays on from here.
    const double stall = position - buffered_s_;
    ++stalls_;
    worst_stall_s_ = std::max(worst_stall_s_, stall);
    *play_start_ +=
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(stall));
  }
}

}  // namespace

std::string CrowdReport::summary() const {
  std::ostringstream text;
  text << requests << " requests (" << playlist_requests << " playlists, " << segment_requests
       << " segments), " << errors << " errors, " << segments_from_cache
       << " segments from the cache (" << static_cast<int>(cache_ratio() * 1000) / 10.0 << " %), "
       << viewers_playing << " viewers playing, " << viewers_stalled << " stalled (worst "
       << worst_stall_s << " s), " << bytes / (1024 * 1024) << " MiB; slowest answer " << slowest_s
       << " s: " << slowest;
  for (const auto& error : first_errors) {
    text << "\n  " << error;
  }
  return text.str();
}

CrowdReport run_crowd(const CrowdOptions& options) {
  Crowd crowd(options);
  return crowd.run();
}

}  // namespace hallcast::testing
