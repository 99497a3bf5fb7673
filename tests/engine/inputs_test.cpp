// Real inputs as a viewer sees them, on the decoded recording of a 320x180@30 show: a
// 2-up with the input on the left half and a green test camera on the right. The green
// half is the proof that the programme never waits for an input: whatever the input
// does, it is green in every frame and the frames follow each other at the frame rate.
//
// The inputs are real: an SRT encoder (gst-launch; H.264, and H.265 once) calling in or
// being called, an RTSP camera (hallcast_test_rtsp_server), a looped file, and a
// capture device and a microphone that this machine does not have. The network cameras send a white
// ball moving over a solid colour: the colour tells the camera from the "no signal" slate, and the
// ball tells a live picture from the last frame held after the camera went away, so the time from
// the frozen picture to the slate is read off the recording.
//
// The source's health is checked in the engine's own events (lost until the first
// frame, live while frames come, lost a second after they stop, live again when they
// come back); the picture is checked on the decoded frames.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <csignal>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "engine/engine.h"
#include "support/media_probe.h"
#include "support/picture.h"
#include "support/ports.h"
#include "support/process.h"
#include "support/show_configs.h"
#include "support/signal_measure.h"
#include "support/temp_dir.h"

namespace hallcast::engine {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::median_colour;
using testing::Rect;
using testing::Rgb;
using testing::RgbImage;

constexpr int kWidth = 320;
constexpr int kHeight = 180;
constexpr int kFps = 30;
constexpr double kFrameS = 1.0 / kFps;

// --- the show ----------------------------------------------------------------------

// The input "cam" on the left half, the green reference on the right, a 440 Hz floor
// microphone, and the recording into `record_dir`, off until InputShow starts it.
// `extra` are more sources (a microphone under test).
config::Config two_up_show(const std::filesystem::path& record_dir, config::Source input,
                           std::vector<config::Source> extra = {}) {
  config::Config c;
  c.video.width = kWidth;
  c.video.height = kHeight;
  c.video.fps = kFps;
  c.video.bitrate_kbps = 600;
  c.video.keyframe_interval_s = 1;
  c.audio.bitrate_kbps = 96;
  c.sources = {std::move(input),
               {"ref", config::SourceKind::video, "test:video?pattern=green",
                config::TestVideoUri{"green"}, "Reference", ""},
               {"mic1", config::SourceKind::audio, "test:audio?freq=440&volume=0.3",
                config::TestAudioUri{440, 0.3, 0, 0}, "Floor", ""}};
  for (auto& source : extra) {
    c.sources.push_back(std::move(source));
  }
  c.scenes = {{"two-up", "2-up", {{"cam", 0, 0, 0.5, 1}, {"ref", 0.5, 0, 0.5, 1}}}};
  c.outputs = {testing::record_output(record_dir)};
  c.outputs[0].enabled = false;
  return c;
}

// A source as the config file would give it, read by the config's own parser.
config::Source media_source(const std::string& id, config::SourceKind kind,
                            const std::string& uri) {
  auto parsed = config::parse_source_uri(uri, kind);
  if (const auto* problem = std::get_if<std::string>(&parsed)) {
    ADD_FAILURE() << uri << ": " << *problem;
    return {};
  }
  return {id, kind, uri, std::get<config::SourceUri>(parsed), "Stage camera", ""};
}

struct HealthChange {
  Clock::time_point at;
  show::Health health;
};

struct Recording {
  std::filesystem::path file;
  std::vector<RgbImage> frames;  // at the programme's size
  std::vector<double> times;     // presentation time of each frame, seconds
};

// One show, recorded, with every source health change the engine announced.
class InputShow {
 public:
  explicit InputShow(config::Source input, std::vector<config::Source> extra = {})
      : dir_("hallcast-inputs"),
        engine_(std::make_unique<Engine>(
            two_up_show(dir_.path(), std::move(input), std::move(extra)),
            EngineOptions{std::filesystem::path(HALLCAST_SOURCE_DIR) / "pipelines"}, redactor_)) {
    engine_->add_listener([this](const show::Event& event) {
      if (const auto* changed = std::get_if<show::SourceChanged>(&event)) {
        std::lock_guard lock(mutex_);
        changes_[changed->status.id].push_back({Clock::now(), changed->status.health});
      }
    });
  }

  Engine& engine() { return *engine_; }

  // Goes on the air, then starts the recording and waits until it runs. The recording
  // begins at the first keyframe after that: it holds every frame the show made from
  // then on, and nothing of the programme's own start.
  void start() {
    engine_->start();
    started_ = Clock::now();
    std::this_thread::sleep_for(1200ms);
    EXPECT_TRUE(engine_->run(show::OutputStart{"rec"}).ok());
    const auto deadline = Clock::now() + 5s;
    while (Clock::now() < deadline &&
           engine_->snapshot()->find_output("rec")->state != show::OutputState::live) {
      std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(engine_->snapshot()->find_output("rec")->state, show::OutputState::live);
  }

  Clock::time_point started() const { return started_; }

  std::vector<HealthChange> changes(const std::string& id) const {
    std::lock_guard lock(mutex_);
    const auto it = changes_.find(id);
    return it == changes_.end() ? std::vector<HealthChange>{} : it->second;
  }

  std::vector<show::Health> transitions(const std::string& id) const {
    std::vector<show::Health> result;
    for (const auto& change : changes(id)) {
      result.push_back(change.health);
    }
    return result;
  }

  show::Health health(const std::string& id) const {
    for (const auto& source : engine_->snapshot()->sources) {
      if (source.id == id) {
        return source.health;
      }
    }
    ADD_FAILURE() << "no source " << id;
    return show::Health::lost;
  }

  // When `id` announced its `count`-th change to `health` (1 = the first), waiting up to
  // `timeout` for it.
  std::optional<Clock::time_point> wait_for(const std::string& id, show::Health health, int count,
                                            std::chrono::milliseconds timeout) const {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      int seen = 0;
      for (const auto& change : changes(id)) {
        if (change.health == health && ++seen == count) {
          return change.at;
        }
      }
      if (Clock::now() >= deadline) {
        return std::nullopt;
      }
      std::this_thread::sleep_for(10ms);
    }
  }

  // Leaves the air and decodes the one recording it made.
  Recording stop_and_decode() {
    engine_->stop(4s);
    Recording recording;
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
      recording.file = entry.path();
    }
    if (recording.file.empty()) {
      ADD_FAILURE() << "nothing was recorded";
      return recording;
    }
    recording.frames = testing::decode_rgb_frames(recording.file, kWidth, kHeight);
    recording.times = testing::video_frame_times(recording.file);
    EXPECT_EQ(recording.frames.size(), recording.times.size()) << recording.file;
    return recording;
  }

 private:
  // Declared before the engine, so they outlive it.
  testing::TempDir dir_;
  common::Redactor redactor_;
  mutable std::mutex mutex_;  // guards changes_ (filled on the engine thread)
  std::map<std::string, std::vector<HealthChange>> changes_;
  std::unique_ptr<Engine> engine_;
  Clock::time_point started_;
};

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// --- reading the picture -----------------------------------------------------------

// The two halves, less a margin for the blurred edges between them.
constexpr Rect kInputHalf{8, 8, 144, 164};
constexpr Rect kReferenceHalf{168, 8, 144, 164};

// Pixels of `region` that are near white: the slate's lettering (or a camera's ball).
int light_pixels(const RgbImage& image, Rect region) {
  int count = 0;
  for (int y = region.y; y < region.y + region.height; ++y) {
    for (int x = region.x; x < region.x + region.width; ++x) {
      const uint8_t* p = image.at(x, y);
      count += std::min({p[0], p[1], p[2]}) > 160 ? 1 : 0;
    }
  }
  return count;
}

// The largest change of any pixel of `region` from one frame to the next: the ball
// moving gives over a hundred, a held frame re-encoded gives a few units.
int largest_change(const RgbImage& before, const RgbImage& after, Rect region) {
  int largest = 0;
  for (int y = region.y; y < region.y + region.height; ++y) {
    for (int x = region.x; x < region.x + region.width; ++x) {
      const uint8_t* a = before.at(x, y);
      const uint8_t* b = after.at(x, y);
      for (int c = 0; c < 3; ++c) {
        largest = std::max(largest, std::abs(static_cast<int>(a[c]) - static_cast<int>(b[c])));
      }
    }
  }
  return largest;
}
constexpr int kMoved = 60;

enum class Look { slate, red, blue, green, black, other };

const char* name(Look look) {
  switch (look) {
    case Look::slate:
      return "slate";
    case Look::red:
      return "red";
    case Look::blue:
      return "blue";
    case Look::green:
      return "green";
    case Look::black:
      return "black";
    case Look::other:
      return "OTHER";
  }
  return "?";
}

void PrintTo(Look look, std::ostream* out) {
  *out << name(look);
}

// The slate is a dark blue gradient (#132C55 to #070F1F): blue well ahead of red and
// green, but far darker than a blue camera and far from black.
Look classify(const Rgb& c) {
  if (c.r > 200 && c.g < 60 && c.b < 60) {
    return Look::red;
  }
  if (c.b > 190 && c.r < 60 && c.g < 60) {
    return Look::blue;
  }
  if (c.g > 190 && c.r < 60 && c.b < 60) {
    return Look::green;
  }
  if (c.b >= 30 && c.b <= 140 && c.b > c.r + 15 && c.b > c.g + 8 && c.r < 60) {
    return Look::slate;
  }
  if (c.r < 30 && c.g < 30 && c.b < 30) {
    return Look::black;
  }
  return Look::other;
}

struct Stretch {
  Look look;
  std::size_t first = 0;  // frame index
  std::size_t length = 0;
};

std::vector<Stretch> runs_of(const std::vector<Look>& looks) {
  std::vector<Stretch> runs;
  for (std::size_t i = 0; i < looks.size(); ++i) {
    if (runs.empty() || runs.back().look != looks[i]) {
      runs.push_back({looks[i], i, 0});
    }
    ++runs.back().length;
  }
  return runs;
}

// "slate×60 red×91 …", for failure messages.
std::string describe(const std::vector<Stretch>& runs) {
  std::ostringstream out;
  for (const auto& r : runs) {
    out << name(r.look) << "x" << r.length << " ";
  }
  return out.str();
}

// The runs without the frame or two of `other` where one picture gives way to the
// next (an I-frame of the new picture encoded from the old one).
std::vector<Stretch> without_transitions(const std::vector<Stretch>& runs) {
  std::vector<Stretch> kept;
  for (const auto& r : runs) {
    if (r.look == Look::other && r.length <= 2) {
      continue;
    }
    if (!kept.empty() && kept.back().look == r.look) {
      kept.back().length = r.first + r.length - kept.back().first;
    } else {
      kept.push_back(r);
    }
  }
  return kept;
}

std::vector<Look> looks_of(const std::vector<Stretch>& runs) {
  std::vector<Look> result;
  for (const auto& r : runs) {
    result.push_back(r.look);
  }
  return result;
}

// What the viewer saw of the input: the look of its half in every frame, in stretches.
std::vector<Stretch> input_stretches(const Recording& recording) {
  std::vector<Look> looks;
  for (const auto& frame : recording.frames) {
    looks.push_back(classify(median_colour(frame, kInputHalf)));
  }
  return without_transitions(runs_of(looks));
}

// The programme itself, whatever its input did: the green reference in every frame,
// frames at the frame rate without a hole, as many as its duration holds.
void expect_programme_unbroken(const Recording& recording) {
  ASSERT_GT(recording.frames.size(), 60u);
  for (std::size_t i = 0; i < recording.frames.size(); ++i) {
    const Rgb reference = median_colour(recording.frames[i], kReferenceHalf);
    ASSERT_EQ(classify(reference), Look::green) << "frame " << i << " " << reference;
  }
  double largest_gap = 0;
  for (std::size_t i = 1; i < recording.times.size(); ++i) {
    largest_gap = std::max(largest_gap, recording.times[i] - recording.times[i - 1]);
  }
  EXPECT_LE(largest_gap, 1.5 * kFrameS) << "the programme stalled";
  const double span = recording.times.back() - recording.times.front();
  EXPECT_NEAR(static_cast<double>(recording.times.size()), span * kFps + 1, 2.0);
  std::cout << "measured: " << recording.times.size() << " frames over " << span
            << " s, largest gap " << largest_gap * 1000 << " ms\n";
}

// Frames of [first, first + length) in which the input half changed from the frame
// before: a live camera's ball moves in (nearly) every one.
std::size_t moving_frames(const Recording& recording, std::size_t first, std::size_t length) {
  std::size_t moving = 0;
  for (std::size_t i = std::max<std::size_t>(first, 1); i < first + length; ++i) {
    moving += largest_change(recording.frames[i - 1], recording.frames[i], kInputHalf) >= kMoved;
  }
  return moving;
}

// The last frame of [first, end) in which the input half changed from the frame before:
// the last new picture from the camera before it went away.
std::size_t last_moving_frame(const Recording& recording, std::size_t first, std::size_t end) {
  std::size_t last = first;
  for (std::size_t i = std::max<std::size_t>(first, 1); i < end; ++i) {
    if (largest_change(recording.frames[i - 1], recording.frames[i], kInputHalf) >= kMoved) {
      last = i;
    }
  }
  return last;
}

// The slate's lettering ("NO SIGNAL" and the label) is there: it is a slate, not a
// dark blue camera.
void expect_slate_lettering(const Recording& recording, const Stretch& run) {
  const RgbImage& frame = recording.frames[run.first + run.length / 2];
  EXPECT_GT(light_pixels(frame, kInputHalf), 100) << "no lettering on the slate";
}

// --- the network camera senders ----------------------------------------------------

// gst-launch-1.0 with `pipeline` (one element or caps per token).
std::unique_ptr<testing::ChildProcess> launch(std::vector<std::string> pipeline) {
  pipeline.insert(pipeline.begin(), "gst-launch-1.0");
  return std::make_unique<testing::ChildProcess>(std::move(pipeline));
}

// A hall encoder: a white ball on red, 640x360@30, H.264 (or `encoder`, e.g. H.265's
// x265enc) in MPEG-TS, over SRT to `uri`. An H.265 camera sends 320x180: x265 at 640x360
// takes most of a core, and a camera that cannot keep its pace sends repeated pictures
// the tests would count against hallcast.
std::vector<std::string> srt_camera(const std::string& uri,
                                    const std::string& encoder = "x264enc") {
  return {"videotestsrc",
          "is-live=true",
          "pattern=ball",
          "background-color=0xffff0000",
          "!",
          encoder == "x264enc" ? "video/x-raw,width=640,height=360,framerate=30/1"
                               : "video/x-raw,width=320,height=180,framerate=30/1",
          "!",
          encoder,
          "tune=zerolatency",
          encoder == "x264enc" ? "speed-preset=veryfast" : "speed-preset=ultrafast",
          "key-int-max=30",
          "!",
          "mpegtsmux",
          "!",
          "srtsink",
          "uri=" + uri};
}

void kill_now(std::unique_ptr<testing::ChildProcess>& process) {
  process->send_signal(SIGKILL);
  EXPECT_TRUE(process->wait_for_exit(2s).has_value());
}

// A camera that connects, drops (killed) and comes back, checked on the picture: the
// slate (first, if `slate_first`), the camera, its last picture held for about a
// second and then the slate, the camera again; the reference half untouched
// throughout.
void expect_drop_and_recovery(const Recording& recording, Look camera, bool slate_first) {
  ASSERT_NO_FATAL_FAILURE(expect_programme_unbroken(recording));
  const auto runs = input_stretches(recording);
  const std::string all = describe(runs);
  std::cout << "measured: input half " << all << "\n";
  std::vector<Look> expected = {camera, Look::slate, camera};
  if (slate_first) {
    expected.insert(expected.begin(), Look::slate);
  }
  ASSERT_EQ(looks_of(runs), expected) << all;
  const std::size_t first_camera = slate_first ? 1 : 0;
  const Stretch& live = runs[first_camera];
  const Stretch& lost = runs[first_camera + 1];
  const Stretch& back = runs[first_camera + 2];
  if (slate_first) {
    EXPECT_GE(runs[0].length, 15u) << "the slate before the camera called: " << all;
    expect_slate_lettering(recording, runs[0]);
  }
  expect_slate_lettering(recording, lost);

  // Live means moving: the ball moves in nearly every frame while the camera sends.
  // Then the picture holds still until the slate replaces it: "about a second", as
  // the engine calls a source lost after 1 s without frames.
  const std::size_t last = last_moving_frame(recording, live.first, lost.first);
  const std::size_t sent = last + 1 - live.first;
  const std::size_t moved = moving_frames(recording, live.first, sent);
  const double frozen = recording.times[lost.first] - recording.times[last];
  std::cout << "measured: ball moved in " << moved << " of " << sent
            << " frames; frozen picture to slate " << frozen * 1000 << " ms\n";
  EXPECT_GE(sent, 60u) << all;
  EXPECT_GE(moved, sent * 9 / 10) << all;
  EXPECT_LE(frozen, 1.5) << all;

  // Back by itself, and live again: moving, not a held frame.
  const std::size_t moved_back = moving_frames(recording, back.first, back.length);
  std::cout << "measured: back: ball moved in " << moved_back << " of " << back.length
            << " frames\n";
  EXPECT_GE(back.length, 30u) << "the camera is back for good: " << all;
  EXPECT_GE(moved_back, back.length * 8 / 10) << all;
}

// --- the tests ---------------------------------------------------------------------

// The camera process dies: the source is lost within 1.5 s. Three seconds later
// `restart` brings the camera back, and the source is live again within `back_within`
// by itself. Two seconds after that the show stops; `recording` is what it recorded,
// and the source's health went lost, live, lost, live.
void drop_and_return(InputShow& show, std::unique_ptr<testing::ChildProcess>& camera,
                     const std::function<std::unique_ptr<testing::ChildProcess>()>& restart,
                     std::chrono::seconds back_within, Recording& recording) {
  kill_now(camera);
  const auto killed = Clock::now();
  const auto lost = show.wait_for("cam", show::Health::lost, 2, 3s);
  ASSERT_TRUE(lost.has_value());
  std::cout << "measured: lost " << seconds_between(killed, *lost) * 1000
            << " ms after the camera was killed\n";
  EXPECT_LE(seconds_between(killed, *lost), 1.5);
  std::this_thread::sleep_until(killed + 3s);

  camera = restart();
  const auto restarted = Clock::now();
  const auto back = show.wait_for("cam", show::Health::live, 2, back_within);
  ASSERT_TRUE(back.has_value()) << camera->output();
  std::cout << "measured: live again " << seconds_between(restarted, *back)
            << " s after the camera was restarted\n";
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(show.health("cam"), show::Health::live);

  recording = show.stop_and_decode();
  EXPECT_EQ(show.transitions("cam"),
            (std::vector<show::Health>{show::Health::lost, show::Health::live, show::Health::lost,
                                       show::Health::live}));
}

TEST(Inputs, AnSrtCameraCallingInDropsToTheSlateAndComesBackByItself) {
  const int port = testing::free_loopback_port();
  InputShow show(media_source("cam", config::SourceKind::video, "srt://:" + std::to_string(port)));
  show.start();
  // Nobody has called yet: the slate is up and the programme runs.
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(show.health("cam"), show::Health::lost);

  const std::string uri = "srt://127.0.0.1:" + std::to_string(port);
  auto camera = launch(srt_camera(uri));
  const auto called = Clock::now();
  const auto live = show.wait_for("cam", show::Health::live, 1, 5s);
  ASSERT_TRUE(live.has_value()) << camera->output();
  std::cout << "measured: live " << seconds_between(called, *live)
            << " s after the camera was started\n";
  std::this_thread::sleep_for(3s);

  Recording recording;
  ASSERT_NO_FATAL_FAILURE(drop_and_return(
      show, camera, [&] { return launch(srt_camera(uri)); }, 8s, recording));
  expect_drop_and_recovery(recording, Look::red, true);
}

TEST(Inputs, AnH265CameraIsDecodedAndConvertedLikeAnH264One) {
  const int port = testing::free_loopback_port();
  InputShow show(media_source("cam", config::SourceKind::video, "srt://:" + std::to_string(port)));
  show.start();
  auto camera = launch(srt_camera("srt://127.0.0.1:" + std::to_string(port), "x265enc"));
  ASSERT_TRUE(show.wait_for("cam", show::Health::live, 1, 8s).has_value()) << camera->output();
  std::this_thread::sleep_for(3s);
  EXPECT_EQ(show.health("cam"), show::Health::live);
  const Recording recording = show.stop_and_decode();

  ASSERT_NO_FATAL_FAILURE(expect_programme_unbroken(recording));
  const auto runs = input_stretches(recording);
  ASSERT_FALSE(runs.empty());
  // Up to the end: the camera's picture, moving.
  const Stretch& last = runs.back();
  EXPECT_EQ(last.look, Look::red) << describe(runs);
  EXPECT_GE(last.length, 75u) << describe(runs);
  EXPECT_GE(moving_frames(recording, last.first, last.length), last.length * 9 / 10)
      << describe(runs);
}

TEST(Inputs, HallcastCallsAnSrtCameraAndCallsAgainWhenItComesBack) {
  const int port = testing::free_loopback_port();
  const std::string listener = "srt://:" + std::to_string(port) + "?mode=listener";
  auto camera = launch(srt_camera(listener));
  std::this_thread::sleep_for(500ms);  // the camera binds its port

  InputShow show(
      media_source("cam", config::SourceKind::video, "srt://127.0.0.1:" + std::to_string(port)));
  show.start();
  const auto live = show.wait_for("cam", show::Health::live, 1, 5s);
  ASSERT_TRUE(live.has_value()) << camera->output();
  std::cout << "measured: live " << seconds_between(show.started(), *live)
            << " s after the start\n";
  std::this_thread::sleep_for(3s);

  Recording recording;
  ASSERT_NO_FATAL_FAILURE(drop_and_return(
      show, camera, [&] { return launch(srt_camera(listener)); }, 10s, recording));
  expect_drop_and_recovery(recording, Look::red, false);
}

TEST(Inputs, AnRtspCameraDropsToTheSlateAndIsCalledAgainWhenItComesBack) {
  const int port = testing::free_loopback_port();
  const std::vector<std::string> server_argv{HALLCAST_TEST_RTSP_SERVER, std::to_string(port)};
  auto server = std::make_unique<testing::ChildProcess>(server_argv);
  ASSERT_TRUE(testing::wait_for_port(port, 5s)) << server->output();

  InputShow show(media_source("cam", config::SourceKind::video,
                              "rtsp://127.0.0.1:" + std::to_string(port) + "/cam"));
  show.start();
  const auto live = show.wait_for("cam", show::Health::live, 1, 5s);
  ASSERT_TRUE(live.has_value()) << server->output();
  std::cout << "measured: live " << seconds_between(show.started(), *live)
            << " s after the start\n";
  std::this_thread::sleep_for(3s);

  Recording recording;
  ASSERT_NO_FATAL_FAILURE(drop_and_return(
      show, server,
      [&] {
        auto again = std::make_unique<testing::ChildProcess>(server_argv);
        EXPECT_TRUE(testing::wait_for_port(port, 5s)) << again->output();
        return again;
      },
      10s, recording));
  expect_drop_and_recovery(recording, Look::blue, false);
}

// A camera that hangs rather than going away (its process stopped: the connection stays
// open and nothing comes) is lost as usual, and its ingest is torn down and tried again
// meanwhile; none of that holds up the engine: every command is answered at once.
TEST(Inputs, AHungCameraNeverHoldsUpTheEngine) {
  const int port = testing::free_loopback_port();
  auto server = std::make_unique<testing::ChildProcess>(
      std::vector<std::string>{HALLCAST_TEST_RTSP_SERVER, std::to_string(port)});
  ASSERT_TRUE(testing::wait_for_port(port, 5s)) << server->output();
  InputShow show(media_source("cam", config::SourceKind::video,
                              "rtsp://127.0.0.1:" + std::to_string(port) + "/cam"));
  show.start();
  ASSERT_TRUE(show.wait_for("cam", show::Health::live, 1, 5s).has_value()) << server->output();
  std::this_thread::sleep_for(1s);

  server->send_signal(SIGSTOP);
  const auto hung = Clock::now();
  ASSERT_TRUE(show.wait_for("cam", show::Health::lost, 2, 3s).has_value());
  // A command every 100 ms for 8 s, while the ingest is rebuilt and its new connection
  // waits on a server that never answers.
  std::chrono::milliseconds slowest{0};
  int answered = 0;
  while (Clock::now() < hung + 8s) {
    const auto asked = Clock::now();
    const bool ok = show.engine().run(show::AudioSet{"mic1", -3.0 * (answered % 2), {}}).ok();
    slowest = std::max(slowest,
                       std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - asked));
    answered += ok ? 1 : 0;
    std::this_thread::sleep_for(100ms);
  }
  std::cout << "measured: " << answered << " commands while the camera hung; slowest reply "
            << slowest.count() << " ms\n";
  EXPECT_GE(answered, 40);
  EXPECT_LT(slowest, 250ms);
  EXPECT_EQ(show.health("cam"), show::Health::lost);
  kill_now(server);
}

TEST(Inputs, AFileLoopsForeverAndStaysLive) {
  testing::TempDir media("hallcast-clip");
  const auto clip = media.path() / "clip.mp4";
  // 1 s of red, then 1 s of blue.
  const auto made = testing::run_command({"ffmpeg",
                                          "-nostdin",
                                          "-v",
                                          "error",
                                          "-f",
                                          "lavfi",
                                          "-i",
                                          "color=c=red:s=320x180:r=30:d=1",
                                          "-f",
                                          "lavfi",
                                          "-i",
                                          "color=c=blue:s=320x180:r=30:d=1",
                                          "-filter_complex",
                                          "[0:v][1:v]concat=n=2:v=1[v]",
                                          "-map",
                                          "[v]",
                                          "-c:v",
                                          "libx264",
                                          "-pix_fmt",
                                          "yuv420p",
                                          "-g",
                                          "30",
                                          clip.string()});
  ASSERT_EQ(made.exit_code, 0) << made.output;

  // A clip that loops, on programme from launch (tests/engine/clip_test.cpp has clips
  // cued off air).
  config::Source source = media_source("cam", config::SourceKind::video, "file://" + clip.string());
  source.loop = true;
  InputShow show(source);
  show.start();
  std::this_thread::sleep_for(8s);
  EXPECT_EQ(show.health("cam"), show::Health::live);
  const Recording recording = show.stop_and_decode();
  // Lost until its first frame, then live for good.
  EXPECT_EQ(show.transitions("cam"),
            (std::vector<show::Health>{show::Health::lost, show::Health::live}));

  ASSERT_NO_FATAL_FAILURE(expect_programme_unbroken(recording));
  const auto runs = input_stretches(recording);
  const std::string all = describe(runs);
  std::cout << "measured: input half " << all << "\n";
  // Red and blue take turns, a second each, and nothing else: no slate, no hold where
  // the file starts again. The first and last stretches are cut by the recording.
  ASSERT_GE(runs.size(), 8u) << all;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    ASSERT_TRUE(runs[i].look == Look::red || runs[i].look == Look::blue) << all;
    if (i > 0 && i + 1 < runs.size()) {
      EXPECT_NEAR(static_cast<double>(runs[i].length), kFps, 3.0) << "stretch " << i << ": " << all;
    }
  }
  int cycles = 0;
  for (std::size_t i = 1; i + 2 < runs.size(); ++i) {
    cycles += runs[i].look == Look::red ? 1 : 0;  // a whole red second, then a whole blue one
  }
  EXPECT_GE(cycles, 3) << all;
}

TEST(Inputs, AMissingCaptureDeviceIsReportedAndTheShowRunsWithItsSlate) {
  InputShow show(media_source("cam", config::SourceKind::video, "v4l2:///dev/video99"));
  ASSERT_FALSE(std::filesystem::exists("/dev/video99"));
  const auto problems = show.engine().check();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].path, "sources[0].uri");
  EXPECT_NE(problems[0].message.find("/dev/video99"), std::string::npos) << problems[0].message;

  show.start();
  std::this_thread::sleep_for(1s);
  const auto encoded = show.engine().snapshot()->programme.frames_encoded;
  std::this_thread::sleep_for(3s);
  EXPECT_EQ(show.health("cam"), show::Health::lost);
  const auto encoded_later = show.engine().snapshot()->programme.frames_encoded;
  EXPECT_NEAR(static_cast<double>(encoded_later - encoded), 3.0 * kFps, 20.0);
  // Not one from the very start either, while the input had nothing to give.
  EXPECT_EQ(show.engine().snapshot()->programme.frames_dropped, 0u);
  const Recording recording = show.stop_and_decode();
  EXPECT_EQ(show.transitions("cam"), (std::vector<show::Health>{show::Health::lost}));

  ASSERT_NO_FATAL_FAILURE(expect_programme_unbroken(recording));
  const auto runs = input_stretches(recording);
  const std::string all = describe(runs);
  ASSERT_EQ(looks_of(runs), std::vector<Look>{Look::slate}) << all;
  expect_slate_lettering(recording, runs[0]);
}

TEST(Inputs, AMissingMicrophoneIsLostAndTheFloorCarriesOn) {
  InputShow show({"cam", config::SourceKind::video, "test:video?pattern=red",
                  config::TestVideoUri{"red"}, "Cam", ""},
                 {media_source("mic2", config::SourceKind::audio, "pulse://nosuchdevice")});
  show.start();
  std::this_thread::sleep_for(4s);
  EXPECT_EQ(show.health("mic2"), show::Health::lost);
  EXPECT_EQ(show.health("mic1"), show::Health::live);
  const Recording recording = show.stop_and_decode();
  EXPECT_EQ(show.transitions("mic2"), (std::vector<show::Health>{show::Health::lost}));

  // The floor is the 440 Hz microphone at its level (0.3, -10.5 dBFS) in every 50 ms
  // of the file, without a hole: the microphone that is not there takes nothing away.
  const auto floor = testing::decode_audio(recording.file, 0);
  ASSERT_EQ(floor.sample_rate, 48000);
  EXPECT_LT(floor.largest_gap_s, 0.002);
  const auto left = floor.channel(0);
  constexpr std::size_t kBlock = 48000 / 20;  // 22 cycles of 440 Hz
  ASSERT_GT(left.size(), 40 * kBlock);
  double lowest = 0;
  double highest = -100;
  // Less the first and last 100 ms: the AAC decoder's priming and the last frame.
  for (std::size_t at = 48000 / 10; at + kBlock <= left.size() - 48000 / 10; at += kBlock) {
    const double level = testing::tone_db(&left[at], kBlock, 440, 48000);
    lowest = std::min(lowest, level);
    highest = std::max(highest, level);
  }
  std::cout << "measured: floor 440 Hz between " << lowest << " and " << highest << " dBFS\n";
  EXPECT_GT(lowest, -13.5);
  EXPECT_LT(highest, -8.5);
}

}  // namespace
}  // namespace hallcast::engine
