// An optional part of the engine that fails for real — a thumbnail encoder that errors
// at run time, a caption that cannot be rendered, a loudness analysis that throws, a
// listener or a reply callback that throws — is reported in the state's `health`, and
// switched off and started again, while the programme goes on encoding frames and the
// recording runs on. What is asserted is read from the engine's state and events and
// from the decoded recording.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "engine/engine.h"
#include "engine/video/overlay_deck.h"
#include "support/media_probe.h"
#include "support/picture.h"
#include "support/show_configs.h"
#include "support/temp_dir.h"

namespace hallcast::engine {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kWidth = 320;
constexpr int kHeight = 180;

config::Config small_show(const std::filesystem::path& record_dir) {
  config::Config c;
  c.event.title = "containment";
  c.event.speakers = {{"kashin", "Vasily Kashin", "Director, HSE", {}}};
  c.video.width = kWidth;
  c.video.height = kHeight;
  c.video.bitrate_kbps = 400;
  c.video.keyframe_interval_s = 1;
  c.audio.bitrate_kbps = 64;
  c.sources = {
      {"cam1", config::SourceKind::video, "test:video?pattern=red", config::TestVideoUri{"red"},
       "Wide", ""},
      {"mic1", config::SourceKind::audio, "test:audio?freq=440&volume=0.3",
       config::TestAudioUri{440, 0.3, 0, 0}, "Floor", ""},
      {"booth-en", config::SourceKind::interpretation, "test:audio?freq=1000",
       config::TestAudioUri{1000, 0.3, 0, 0}, "EN", "en"},
  };
  c.scenes = {{"wide", "Wide", {{"cam1", 0, 0, 1, 1}}}};
  c.overlays = {{"lt-kashin", config::OverlayType::lower_third, "kashin", ""},
                {"slate", config::OverlayType::title, "", "Starting soon"}};
  c.outputs = {testing::record_output(record_dir)};
  return c;
}

std::filesystem::path repo_pipelines() {
  return std::filesystem::path(HALLCAST_SOURCE_DIR) / "pipelines";
}

// A show on the air with every event it announced, and whether it ended the show.
class Show {
 public:
  Show(config::Config config, EngineOptions options)
      : engine_(std::make_unique<Engine>(std::move(config), std::move(options), redactor_)) {
    engine_->add_listener([this](const show::Event& event) {
      std::lock_guard lock(mutex_);
      events_.push_back(event);
    });
    engine_->on_fatal([this](const std::string& why) {
      std::lock_guard lock(mutex_);
      fatal_ = why;
    });
  }

  Engine& engine() { return *engine_; }
  common::Redactor& redactor() { return redactor_; }
  std::shared_ptr<const show::Snapshot> state() const { return engine_->snapshot(); }

  void start() {
    engine_->start();
    EXPECT_TRUE(
        wait_until([&] { return state()->outputs.at(0).state == show::OutputState::live; }, 5s));
  }

  std::optional<std::string> fatal() const {
    std::lock_guard lock(mutex_);
    return fatal_;
  }

  std::vector<show::Event> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

  // The part's health in the state, if it has failed.
  std::optional<show::PartHealth> health(const std::string& part) const {
    for (const auto& h : state()->health) {
      if (h.part == part) {
        return h;
      }
    }
    return std::nullopt;
  }

  // Index of the first event from `from` on that satisfies `pred`, once there is one.
  std::optional<std::size_t> wait_for_event(const std::function<bool(const show::Event&)>& pred,
                                            std::chrono::milliseconds timeout,
                                            std::size_t from = 0) const {
    std::optional<std::size_t> found;
    wait_until(
        [&] {
          std::lock_guard lock(mutex_);
          for (std::size_t i = from; i < events_.size(); ++i) {
            if (pred(events_[i])) {
              found = i;
              return true;
            }
          }
          return false;
        },
        timeout);
    return found;
  }

  // True once the programme has encoded `frames` more frames.
  bool wait_for_frames(std::uint64_t frames, std::chrono::milliseconds timeout) const {
    const auto from = state()->programme.frames_encoded;
    return wait_until([&] { return state()->programme.frames_encoded >= from + frames; }, timeout);
  }

  static bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (!done()) {
      if (Clock::now() >= deadline) {
        return false;
      }
      std::this_thread::sleep_for(10ms);
    }
    return true;
  }

 private:
  common::Redactor redactor_;
  mutable std::mutex mutex_;  // guards events_ and fatal_ (written on the engine thread)
  std::vector<show::Event> events_;
  std::optional<std::string> fatal_;
  std::unique_ptr<Engine> engine_;  // last: goes first
};

bool is_health(const show::Event& event, const std::string& part,
               std::optional<show::PartState> state = std::nullopt) {
  const auto* changed = std::get_if<show::HealthChanged>(&event);
  return changed != nullptr && changed->health.part == part &&
         (!state || changed->health.state == *state);
}

// The one recording in `dir`, checked whole: every track there, decoding without an
// error, at least `at_least_s` long.
void expect_recording_whole(const std::filesystem::path& dir, double at_least_s) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    files.push_back(entry.path());
  }
  ASSERT_EQ(files.size(), 1u);
  const auto info = testing::probe(files[0]);
  EXPECT_EQ(info.video_streams().size(), 1u);
  EXPECT_EQ(info.audio_streams().size(), 2u);  // floor and en
  EXPECT_GT(info.duration_s, at_least_s);
  const auto decoded = testing::decode_check(files[0]);
  EXPECT_TRUE(decoded.ok) << decoded.errors;
  EXPECT_GT(decoded.video_frames, static_cast<int64_t>(at_least_s * 25));
}

TEST(Containment, AThumbnailEncoderThatFailsIsRebuiltAndTheProgrammeGoesOn) {
  testing::TempDir dir("hallcast-containment");
  // The site's pipelines, but every thumbnail encoder fails on its third picture: a
  // real element error at run time, inside the multiview branch.
  const auto pipelines = dir.path() / "pipelines";
  std::filesystem::copy(repo_pipelines(), pipelines);
  std::ofstream(pipelines / "multiview.pipeline")
      << "videoscale ! capsfilter caps=\"video/x-raw,width={thumbnail_width},"
         "height={thumbnail_height}\" ! jpegenc ! identity error-after=3\n";
  const auto recordings = dir.path() / "rec";
  Show show(small_show(recordings), {pipelines});
  show.engine().set_multiview_active(true);
  show.start();

  const auto failed = show.wait_for_event(
      [](const auto& e) { return is_health(e, "multiview", show::PartState::restarting); }, 5s);
  ASSERT_TRUE(failed) << "no multiview failure reported";
  // The programme goes on: frames keep coming out of the encoder, the recording runs.
  EXPECT_TRUE(show.wait_for_frames(45, 5s));
  EXPECT_EQ(show.state()->outputs.at(0).state, show::OutputState::live);
  // The feeds are built again: the programme's thumbnails come back after the failure.
  const auto again = show.wait_for_event(
      [](const auto& e) {
        const auto* t = std::get_if<show::Thumbnail>(&e);
        return t != nullptr && t->feed == "program";
      },
      6s, *failed + 1);
  EXPECT_TRUE(again) << "no programme thumbnail after the failure";

  const auto health = show.health("multiview");
  ASSERT_TRUE(health);
  EXPECT_GE(health->failures, 1u);
  EXPECT_NE(health->last_error.find(':'), std::string::npos) << health->last_error;
  EXPECT_FALSE(show.fatal()) << *show.fatal();
  EXPECT_LE(show.state()->programme.frames_dropped, 1u);
  EXPECT_TRUE(show.wait_for_frames(30, 5s));
  show.engine().stop(4s);
  expect_recording_whole(recordings, 1.5);
}

TEST(Containment, ACaptionThatCannotBeRenderedIsLeftOutThenRenderedAgain) {
  testing::TempDir dir("hallcast-containment");
  // The slate's renderer fails twice, then works; the message carries a secret that
  // must not reach the state.
  std::atomic<int> slate_attempts{0};
  EngineOptions options{repo_pipelines()};
  options.test_hooks.render_caption = [&](const show::OverlayStatus& overlay,
                                          const std::string& remaining, int width, int height) {
    if (overlay.id == "slate" && ++slate_attempts <= 2) {
      throw std::runtime_error("no font for the slate, key sk-live-123456");
    }
    return render_overlay(overlay, remaining, width, height);
  };
  Show show(small_show(dir.path()), std::move(options));
  show.redactor().add("sk-live-123456");
  show.start();
  ASSERT_TRUE(show.engine().run(show::OverlayShow{"slate"}).ok());

  ASSERT_TRUE(show.wait_for_event(
      [](const auto& e) { return is_health(e, "captions", show::PartState::restarting); }, 5s));
  const auto first = show.health("captions");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->last_error, "slate: no font for the slate, key ***");
  EXPECT_TRUE(show.wait_for_frames(30, 5s));

  // The second attempt fails too (a longer wait), the third renders it.
  const auto back = show.wait_for_event(
      [](const auto& e) {
        const auto* h = std::get_if<show::HealthChanged>(&e);
        return h != nullptr && h->health.part == "captions" && h->health.failures == 2 &&
               h->health.state == show::PartState::ok;
      },
      8s);
  ASSERT_TRUE(back) << "the caption was not rendered again";
  EXPECT_EQ(slate_attempts.load(), 3);
  EXPECT_TRUE(show.wait_for_frames(30, 5s));  // more than the 300 ms fade
  show.engine().stop(4s);
  EXPECT_FALSE(show.fatal());

  // The slate is on the programme at the end: its dark blue, not the red camera.
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    files.push_back(entry.path());
  }
  ASSERT_EQ(files.size(), 1u);
  const auto frames = testing::decode_rgb_frames(files[0], 32, 18);
  ASSERT_GT(frames.size(), 30u);
  const auto first_colour = testing::median_colour(frames[5], {0, 0, 32, 18});
  const auto last_colour = testing::median_colour(frames[frames.size() - 3], {0, 0, 32, 18});
  EXPECT_GT(first_colour.r, 180) << "the camera, before the slate was rendered";
  EXPECT_LT(last_colour.r, 60) << "the slate";
  EXPECT_GT(last_colour.b, last_colour.r + 10) << "the slate";
}

TEST(Containment, ALoudnessAnalysisThatThrowsIsSwitchedOffAndStartedAgain) {
  testing::TempDir dir("hallcast-containment");
  // The "en" track's analysis throws on its first two buffers (once at the start, once
  // after its first restart), then works.
  std::atomic<int> en_failures{0};
  EngineOptions options{repo_pipelines()};
  options.test_hooks.analyse_track = [&](const std::string& language, std::size_t) {
    if (language == "en" && en_failures.load() < 2) {
      ++en_failures;
      throw std::runtime_error("the analysis broke");
    }
  };
  Show show(small_show(dir.path()), std::move(options));
  show.start();

  const auto failed = show.wait_for_event(
      [](const auto& e) { return is_health(e, "meters", show::PartState::restarting); }, 5s);
  ASSERT_TRUE(failed);
  // Meter events go on for every track meanwhile, and the programme encodes.
  EXPECT_TRUE(show.wait_for_event(
      [](const auto& e) { return std::holds_alternative<show::Meters>(e); }, 2s, *failed + 1));
  EXPECT_TRUE(show.wait_for_frames(30, 5s));

  const auto back = show.wait_for_event(
      [](const auto& e) {
        const auto* h = std::get_if<show::HealthChanged>(&e);
        return h != nullptr && h->health.part == "meters" && h->health.failures == 2 &&
               h->health.state == show::PartState::ok;
      },
      8s);
  ASSERT_TRUE(back) << "the analysis was not started again";
  EXPECT_EQ(show.health("meters")->last_error, "en loudness: the analysis broke");
  // Measured again: the booth's tone gives the "en" track a loudness.
  EXPECT_TRUE(Show::wait_until(
      [&] {
        for (const auto& track : show.state()->tracks) {
          if (track.language == "en") {
            return track.momentary_lufs > -60.0;
          }
        }
        return false;
      },
      3s));
  EXPECT_FALSE(show.fatal());
  EXPECT_TRUE(show.wait_for_frames(30, 5s));
  show.engine().stop(4s);
  expect_recording_whole(dir.path(), 1.5);
}

TEST(Containment, AListenerOrAReplyCallbackThatThrowsNeverStopsTheEngine) {
  testing::TempDir dir("hallcast-containment");
  Show show(small_show(dir.path()), {repo_pipelines()});
  // Registered after the Show's own listener, which still hears every event.
  show.engine().add_listener([](const show::Event& event) {
    if (std::holds_alternative<show::Meters>(event)) {
      throw std::runtime_error("a listener broke");
    }
  });
  show.start();
  show.engine().submit(show::StateGet{},
                       [](show::Reply) { throw std::runtime_error("a reply callback broke"); });

  ASSERT_TRUE(show.wait_for_event(
      [](const auto& e) {
        const auto* h = std::get_if<show::HealthChanged>(&e);
        return h != nullptr && h->health.part == "engine" && h->health.failures >= 2;
      },
      5s));
  // Commands are still answered and meters still reach the other listener.
  EXPECT_TRUE(show.engine().run(show::AudioSet{"mic1", -6.0, std::nullopt}).ok());
  const auto count_meters = [&] {
    int n = 0;
    for (const auto& e : show.events()) {
      n += std::holds_alternative<show::Meters>(e) ? 1 : 0;
    }
    return n;
  };
  const int meters_before = count_meters();
  EXPECT_TRUE(Show::wait_until([&] { return count_meters() >= meters_before + 5; }, 3s));
  EXPECT_TRUE(show.wait_for_frames(30, 5s));
  EXPECT_EQ(show.health("engine")->state, show::PartState::ok);
  EXPECT_FALSE(show.fatal());
  show.engine().stop(4s);
}

}  // namespace
}  // namespace hallcast::engine
