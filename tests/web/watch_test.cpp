// The audience page, /watch, end to end on a phone-sized screen: the real hallcast
// writing HLS (floor, English and Russian renditions, 1 s segments) and serving the
// page, headless Chromium playing it with hls.js. The tests judge the page by what the
// browser does: the video's clock advancing, the audio rendition hls.js plays, what the
// page shows. No token is ever given to the browser.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <string>

#include "web/chromium.h"
#include "web/show_under_test.h"

namespace hallcast::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kVenue = "Зал «Москва», Новый Арбат 36";

// `at` as ISO 8601 in Moscow time (+03:00), as an organiser would write it.
std::string moscow_time(std::chrono::system_clock::time_point at) {
  const std::time_t t = std::chrono::system_clock::to_time_t(at + 3h);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S+03:00", &tm);
  return text;
}

// Seconds per HLS segment: 1, or HALLCAST_WATCH_SEGMENT_S to measure the delay behind
// the hall with another (2, 4: the keyframe comes every second).
int segment_seconds() {
  const char* text = std::getenv("HALLCAST_WATCH_SEGMENT_S");
  return text != nullptr && std::atoi(text) > 0 ? std::atoi(text) : 1;
}

// The show of the panel tests plus a Russian booth and an HLS output, starting in an
// hour; its outputs are only the HLS, so the machine encodes no more than it must.
void audience_show(json& config) {
  config["event"]["venue"] = kVenue;
  config["event"]["start"] = moscow_time(std::chrono::system_clock::now() + 1h);
  config["sources"].push_back({{"id", "booth-ru"},
                               {"kind", "interpretation"},
                               {"language", "ru"},
                               {"uri", "test:audio?freq=800&volume=0.3&on_s=3&off_s=2"},
                               {"label", "Russian"}});
  config["outputs"] = json::array({{{"id", "site"},
                                    {"name", "Website"},
                                    {"type", "hls"},
                                    {"path", "hls"},
                                    {"language", "en"},
                                    {"segment_s", segment_seconds()}}});
  // Its cues name the outputs replaced above.
  config.erase("schedule");
}

// The video's clock, and the rendition hls.js plays.
const std::string kPlayback = R"js(({
  time: document.getElementById("video").currentTime,
  engine: window.hallcastWatch.engine,
  language: window.hallcastWatch.language,
}))js";

class WatchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      show_ = std::make_unique<ShowUnderTest>(audience_show);
      browser_ = std::make_unique<Chromium>();
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
  }

  static void TearDownTestSuite() {
    browser_.reset();
    show_.reset();
  }

  void SetUp() override { ASSERT_TRUE(setup_error_.empty()) << setup_error_; }

  void TearDown() override {
    if (HasFailure() && page_) {
      try {
        const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
        std::cerr << "screenshot: "
                  << page_->screenshot(std::filesystem::path(HALLCAST_WEB_SCREENSHOT_DIR) /
                                       ("failure-watch-" + test + ".png"))
                  << "\n";
      } catch (const std::exception&) {
      }
      std::cerr << "---- hallcast log ----\n" << show_->log() << "\n";
    }
    page_.reset();
  }

  // A phone (390x844, touch) in a browser context of its own, whose browser prefers
  // `languages` (an Accept-Language list); `clock_ahead` puts its clock forward.
  Page& open(const std::string& path, const std::string& languages = "en-US,en",
             std::chrono::hours clock_ahead = 0h) {
    page_ = browser_->new_page();
    page_->set_viewport(390, 844, true);
    page_->session().call("Emulation.setUserAgentOverride",
                          {{"userAgent", "Mozilla/5.0 (Linux; Android 14) hallcast-test"},
                           {"acceptLanguage", languages}});
    if (clock_ahead.count() != 0) {
      page_->session().call("Page.enable");
      page_->session().call(
          "Page.addScriptToEvaluateOnNewDocument",
          {{"source", "{ const real = Date.now; const ahead = " +
                          std::to_string(std::chrono::milliseconds(clock_ahead).count()) +
                          "; Date.now = () => real() + ahead; }"}});
    }
    page_->navigate(show_->url() + path.substr(1));
    return *page_;
  }

  // Waits until the video plays: its clock has moved on by a second or more from where
  // it was first seen running. Returns the last playback reading.
  json wait_playing(Page& page, std::chrono::milliseconds timeout = 30s) {
    const json first = page.wait_until(
        "(() => { const p = " + kPlayback + "; return p.time > 0 && p; })()", timeout);
    if (first.is_null()) {
      return json();
    }
    const double from = first["time"];
    return page.wait_until("(() => { const p = " + kPlayback + "; return p.time > " +
                               std::to_string(from + 1.0) + " && p; })()",
                           timeout);
  }

  static std::unique_ptr<ShowUnderTest> show_;
  static std::unique_ptr<Chromium> browser_;
  static std::string setup_error_;
  std::unique_ptr<Page> page_;
};

std::unique_ptr<ShowUnderTest> WatchTest::show_;
std::unique_ptr<Chromium> WatchTest::browser_;
std::string WatchTest::setup_error_;

TEST_F(WatchTest, LoadsWithoutATokenAndPlaysTheBrowsersLanguage) {
  Page& page = open("/watch", "ru-RU,ru,en");
  EXPECT_EQ(page.wait_until("document.getElementById('title').textContent", 15s),
            "hallcast panel test");
  EXPECT_EQ(page.evaluate("document.getElementById('venue').textContent"), kVenue);
  // Every language named in itself, the floor as the hall's own sound.
  EXPECT_EQ(page.evaluate("[...document.querySelectorAll('#language option')]"
                          ".map((o) => o.value + '=' + o.textContent)"),
            json({"floor=Original sound", "en=English", "ru=Русский"}));

  const json playing = wait_playing(page);
  ASSERT_FALSE(playing.is_null()) << page.evaluate(kPlayback).dump();
  EXPECT_EQ(playing["engine"], "hls.js");
  // The browser asks for Russian first: the Russian rendition plays, not the HLS
  // output's own default (English).
  EXPECT_EQ(page.wait_until("window.hallcastWatch.language === 'ru' && 'ru'", 10s), "ru");
  EXPECT_EQ(page.evaluate("document.getElementById('language').value"), "ru");
  // The page's own words follow the language.
  EXPECT_EQ(page.evaluate("document.documentElement.lang"), "ru");
  // Nothing of the operator's: no cookie was ever needed or set.
  EXPECT_EQ(page.evaluate("document.cookie"), "");
  page.screenshot(std::filesystem::path(HALLCAST_WEB_SCREENSHOT_DIR) / "watch-phone.png");
}

TEST_F(WatchTest, TheLanguageMenuSwitchesTheRenditionAndPlaybackGoesOn) {
  Page& page = open("/watch", "en-GB,en");
  ASSERT_FALSE(wait_playing(page).is_null()) << page.evaluate(kPlayback).dump();
  ASSERT_EQ(page.wait_until("window.hallcastWatch.language === 'en' && 'en'", 10s), "en");

  for (const char* language : {"ru", "floor"}) {
    page.evaluate(std::string("(() => { const menu = document.getElementById('language');"
                              " menu.value = '") +
                  language + "'; menu.dispatchEvent(new Event('change')); })()");
    EXPECT_EQ(page.wait_until(std::string("window.hallcastWatch.language === '") + language +
                                  "' && window.hallcastWatch.language",
                              15s),
              language);
    // hls.js has moved to that rendition's playlist, and the picture goes on.
    EXPECT_FALSE(wait_playing(page).is_null()) << language << ": " << page.evaluate(kPlayback);
  }
  // Remembered by this browser: a visit later starts in the original sound even though
  // the browser prefers English.
  page.navigate(show_->url() + "watch");
  EXPECT_EQ(page.wait_until("document.getElementById('language').options.length > 0 &&"
                            " document.getElementById('language').value",
                            15s),
            "floor");
  EXPECT_EQ(page.wait_until("window.hallcastWatch.language === 'floor' && 'floor'", 30s), "floor");
}

TEST_F(WatchTest, BeforeTheStartACountdownAfterItLive) {
  Page& page = open("/watch");
  // The start is under an hour off (the show began a little earlier): "Starts in
  // 58:47", then a second less.
  const json first = page.wait_until(
      "(() => { const c = document.getElementById('countdown');"
      " return !c.hidden && /^Starts in [1-5][0-9]:[0-5][0-9]$/.test(c.textContent) && "
      "c.textContent; })()",
      15s);
  ASSERT_FALSE(first.is_null()) << page.evaluate("document.getElementById('countdown').outerHTML");
  EXPECT_FALSE(
      page.wait_until("document.getElementById('countdown').textContent !== " + first.dump(), 5s)
          .is_null());
  EXPECT_TRUE(page.evaluate("document.getElementById('live').hidden"));
  EXPECT_NE(page.evaluate("document.getElementById('start').textContent").get<std::string>(), "");

  // A phone whose clock is two hours on: past the start, and live once it plays.
  Page& later = open("/watch", "en", 2h);
  ASSERT_FALSE(wait_playing(later).is_null());
  EXPECT_EQ(later.wait_until("!document.getElementById('live').hidden &&"
                             " document.getElementById('live').textContent",
                             10s),
            "Live");
  EXPECT_TRUE(later.evaluate("document.getElementById('countdown').hidden"));
}

TEST_F(WatchTest, EmbeddedItIsThePlayerAlone) {
  Page& page = open("/watch?embed=1");
  ASSERT_FALSE(wait_playing(page).is_null());
  const json layout = page.evaluate(R"js((() => {
    const video = document.getElementById("video").getBoundingClientRect();
    return {
      header: getComputedStyle(document.querySelector(".chrome")).display,
      videoWidth: video.width, videoHeight: video.height,
      menu: getComputedStyle(document.getElementById("language")).display,
    };
  })())js");
  EXPECT_EQ(layout["header"], "none");
  EXPECT_EQ(layout["videoWidth"], 390);
  EXPECT_EQ(layout["videoHeight"], 844);
  EXPECT_NE(layout["menu"], "none");
  page.screenshot(std::filesystem::path(HALLCAST_WEB_SCREENSHOT_DIR) / "watch-embed.png");
}

TEST_F(WatchTest, RecoversFromANetworkDropAndAHallcastRestartByItself) {
  Page& page = open("/watch");
  ASSERT_FALSE(wait_playing(page).is_null());

  // The phone loses its network until the picture stops, then has it back.
  page.set_offline(true);
  // Stopped: the video's clock has not moved for 1.5 s.
  const std::string stopped =
      "(() => { const t = document.getElementById('video').currentTime;"
      " const now = performance.now(); const seen = window.lastSeen;"
      " if (!seen || seen.t !== t) { window.lastSeen = {t, at: now}; return false; }"
      " return now - seen.at > 1500; })()";
  ASSERT_EQ(page.wait_until(stopped, 30s), true) << page.evaluate(kPlayback);
  page.set_offline(false);
  EXPECT_FALSE(wait_playing(page, 40s).is_null()) << page.evaluate(kPlayback);

  // hallcast dies and comes back: its playlists start over; the page follows.
  show_->kill();
  show_->start();
  EXPECT_FALSE(wait_playing(page, 40s).is_null()) << page.evaluate(kPlayback);
  EXPECT_EQ(page.evaluate("location.pathname"), "/watch");
}

// How far behind the hall the phone plays. The hall's moment of the picture on screen
// is read off the segment it comes from: hallcast finishes writing a segment (its
// mtime) as the first frame of the next one arrives, so the picture `offset` seconds
// into a segment of `duration` was in the hall at mtime - (duration - offset); the
// encoder's own delay (x264 zerolatency, a frame) comes on top.
TEST_F(WatchTest, PlaysLessThanTenSecondsBehindTheHall) {
  Page& page = open("/watch");
  ASSERT_FALSE(wait_playing(page).is_null());
  ASSERT_FALSE(wait_playing(page).is_null());  // settled at its distance from the edge
  double worst = 0;
  for (int i = 0; i < 5; ++i) {
    const json reading = page.evaluate(R"js((() => {
      const hls = window.hallcastWatch.hls;
      const t = document.getElementById("video").currentTime;
      const details = hls.levels[hls.currentLevel].details;
      const frag = details.fragments.find((f) => f.start <= t && t < f.start + f.duration);
      return frag && { now: Date.now(), file: frag.relurl, offset: t - frag.start,
                       duration: frag.duration, edge: hls.latency };
    })())js");
    ASSERT_TRUE(reading.is_object()) << "no fragment under the playhead";
    struct stat info {};
    const auto file = show_->work_dir() / "hls" / "video" / reading["file"].get<std::string>();
    ASSERT_EQ(stat(file.c_str(), &info), 0) << file;
    const double written = info.st_mtim.tv_sec + info.st_mtim.tv_nsec / 1e9;
    const double in_hall =
        written - (reading["duration"].get<double>() - reading["offset"].get<double>());
    const double latency = reading["now"].get<double>() / 1000.0 - in_hall;
    std::cout << "[ latency  ] " << latency << " s behind the hall with " << segment_seconds()
              << " s segments (" << reading["edge"] << " s behind the playlist's end)\n";
    worst = std::max(worst, latency);
    wait_playing(page);
  }
  EXPECT_LT(worst, 10.0);
}

}  // namespace
}  // namespace hallcast::testing
