// The panel's PTZ pad and AUTO button end to end: the real hallcast with a PTZ camera
// emulated on a loopback UDP port, headless Chromium pressing the pad's buttons, and
// the VISCA bytes the camera received and the engine's state read back.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "support/visca_camera.h"
#include "web/chromium.h"
#include "web/show_under_test.h"

namespace hallcast::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using Bytes = std::vector<std::uint8_t>;

// The VISCA command set, spelled out.
const Bytes kDriveRight{0x81, 0x01, 0x06, 0x01, 0x0C, 0x01, 0x02, 0x03, 0xFF};  // pan 0.5
const Bytes kDriveStop{0x81, 0x01, 0x06, 0x01, 0x01, 0x01, 0x03, 0x03, 0xFF};
const Bytes kZoomIn{0x81, 0x01, 0x04, 0x07, 0x24, 0xFF};  // tele, speed 4 (0.5)
const Bytes kZoomStop{0x81, 0x01, 0x04, 0x07, 0x00, 0xFF};
const Bytes kStore2{0x81, 0x01, 0x04, 0x3F, 0x01, 0x02, 0xFF};
const Bytes kRecall2{0x81, 0x01, 0x04, 0x3F, 0x02, 0x02, 0xFF};
const Bytes kTallyOn{0x81, 0x01, 0x7E, 0x01, 0x0A, 0x00, 0x02, 0xFF};

std::string js(const std::string& text) {
  return json(text).dump();
}

// Presses the left mouse button on the centre of `selector` and holds it there (`down`),
// or lets it go. A pad button drives for as long as it is held; a press and release
// quicker than the camera's link may leave only the stop on the wire (a newer drive
// replaces a queued one), so the drive is waited for while the button is held.
void mouse_button(Page& page, const std::string& selector, bool down) {
  const json centre = page.evaluate("(() => { const r = document.querySelector(" + js(selector) +
                                    ").getBoundingClientRect(); "
                                    "return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
  const double x = centre["x"];
  const double y = centre["y"];
  if (down) {
    page.session().call("Input.dispatchMouseEvent", {{"type", "mouseMoved"}, {"x", x}, {"y", y}});
  }
  page.session().call("Input.dispatchMouseEvent",
                      {{"type", down ? "mousePressed" : "mouseReleased"},
                       {"x", x},
                       {"y", y},
                       {"button", "left"},
                       {"buttons", 1},
                       {"clickCount", 1}});
}

int count(const ViscaCamera& camera, const Bytes& payload) {
  int n = 0;
  for (const auto& p : camera.payloads()) {
    n += p == payload ? 1 : 0;
  }
  return n;
}

class HallPanelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      camera_ = std::make_unique<ViscaCamera>(ViscaCamera::Transport::udp);
      show_ = std::make_unique<ShowUnderTest>([](json& config) {
        for (auto& source : config["sources"]) {
          if (source["id"] == "cam2") {
            source["ptz"] = {{"protocol", "visca-udp"}, {"address", camera_->address()}};
          }
        }
        for (auto& scene : config["scenes"]) {
          if (scene["id"] == "close") {
            scene["presets"] = json::array({{{"source", "cam2"}, {"preset", 2}}});
          }
        }
        config["auto_director"] = {{"enabled", false},
                                   {"follow", json::array({{{"mic", "mic1"}, {"scene", "close"}}})},
                                   {"fallback_scene", "wide"},
                                   {"attack_ms", 300},
                                   {"min_shot_s", 0.5}};
      });
      browser_ = std::make_unique<Chromium>();
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
  }

  static void TearDownTestSuite() {
    browser_.reset();
    show_.reset();
    camera_.reset();
  }

  void SetUp() override { ASSERT_TRUE(setup_error_.empty()) << setup_error_; }

  void TearDown() override {
    if (HasFailure() && page_) {
      try {
        page_->screenshot(std::filesystem::path(HALLCAST_WEB_SCREENSHOT_DIR) /
                          "failure-hall-panel.png");
      } catch (const std::exception&) {
      }
      std::cerr << "---- hallcast log ----\n" << show_->log() << "\n";
    }
    page_.reset();
  }

  Page& open_panel(const std::string& locale = "") {
    page_ = browser_->new_page();
    page_->set_viewport(1366, 768);
    if (!locale.empty()) {
      const std::string user_agent = page_->evaluate("navigator.userAgent").get<std::string>();
      page_->session().call("Network.setUserAgentOverride",
                            {{"userAgent", user_agent}, {"acceptLanguage", locale}});
      page_->session().call("Emulation.setLocaleOverride", {{"locale", locale}});
    }
    page_->navigate(show_->url());
    if (page_->wait_until("!document.getElementById('login').hidden", 15s).is_null()) {
      throw std::runtime_error("no login form");
    }
    page_->click("#token");
    page_->type(ShowUnderTest::operator_token);
    page_->press(Key::enter());
    if (page_->wait_until("!document.getElementById('panel').hidden", 10s).is_null()) {
      throw std::runtime_error("the panel did not open");
    }
    return *page_;
  }

  static ::testing::AssertionResult shows(Page& page, const std::string& expression) {
    if (page.wait_until(expression, 5s).is_null()) {
      return ::testing::AssertionFailure() << "the page never showed: " << expression;
    }
    return ::testing::AssertionSuccess();
  }

  static inline std::unique_ptr<ViscaCamera> camera_;
  static inline std::unique_ptr<ShowUnderTest> show_;
  static inline std::unique_ptr<Chromium> browser_;
  static inline std::string setup_error_;
  std::unique_ptr<Page> page_;
};

TEST_F(HallPanelTest, ThePadDrivesStoresAndRecallsThePreviewedCamera) {
  ASSERT_EQ(show_->request({{"cmd", "scene.cut"}, {"scene", "wide"}})["ok"], true);
  ASSERT_EQ(show_->request({{"cmd", "scene.preview"}, {"scene", "close"}})["ok"], true);
  Page& page = open_panel();
  ASSERT_TRUE(shows(page,
                    "!document.getElementById('hall').hidden && "
                    "document.querySelector('#ptz-cameras button')?.textContent === 'Close' "
                    "&& document.querySelector('#ptz-presets [data-preset=\"2\"]') && "
                    "document.getElementById('ptz-link').dataset.link === 'ok'"));
  const json fit = page.evaluate(
      "document.documentElement.scrollHeight <= innerHeight && "
      "document.documentElement.scrollWidth <= innerWidth");
  EXPECT_EQ(fit, true) << "the panel scrolls at 1366x768";

  // Held, a pad button drives; let go, the camera stops.
  mouse_button(page, "#ptz-right", true);
  EXPECT_TRUE(camera_->wait_for_payload(kDriveRight));
  mouse_button(page, "#ptz-right", false);
  EXPECT_TRUE(camera_->wait_for_payload(kDriveStop));
  const int zoom_stops = count(*camera_, kZoomStop);
  mouse_button(page, "#ptz-zoom-in", true);
  EXPECT_TRUE(camera_->wait_for_payload(kZoomIn));
  mouse_button(page, "#ptz-zoom-in", false);
  EXPECT_TRUE(camera_->wait_for_payload(kZoomStop, zoom_stops + 1));

  // Store, then the preset: the position goes into preset 2, nothing is recalled.
  const int recalls = count(*camera_, kRecall2);
  page.click("#ptz-store");
  ASSERT_TRUE(shows(page,
                    "document.getElementById('ptz-store').getAttribute('aria-pressed') "
                    "=== 'true'"));
  page.click("#ptz-presets [data-preset=\"2\"]");
  EXPECT_TRUE(camera_->wait_for_payload(kStore2));
  EXPECT_TRUE(
      shows(page, "document.getElementById('ptz-store').getAttribute('aria-pressed') === 'false'"));
  page.click("#ptz-presets [data-preset=\"2\"]");
  EXPECT_TRUE(camera_->wait_for_payload(kRecall2, recalls + 1));
  page_->screenshot(std::filesystem::path(HALLCAST_WEB_SCREENSHOT_DIR) / "hall-pad.png");

  // A touch tablet: still no scrolling, and every pad button a finger's size.
  page.set_viewport(1024, 768, true);
  ASSERT_TRUE(shows(page, "innerWidth === 1024 && matchMedia('(pointer: coarse)').matches"));
  const json tablet = page.evaluate(R"js((() => {
    const page = document.documentElement;
    return {scrolls: page.scrollHeight > innerHeight || page.scrollWidth > innerWidth,
            small: [...document.querySelectorAll("#hall button")]
                       .filter((e) => !e.hidden && e.getBoundingClientRect().height < 40)
                       .map((e) => e.id || e.textContent)};
  })())js");
  EXPECT_EQ(tablet["scrolls"], false);
  EXPECT_EQ(tablet["small"], json::array());
  page_->screenshot(std::filesystem::path(HALLCAST_WEB_SCREENSHOT_DIR) / "hall-pad-tablet.png");
}

TEST_F(HallPanelTest, AutoFollowsTheSpeakerUntilAManualTake) {
  ASSERT_EQ(show_->request({{"cmd", "scene.cut"}, {"scene", "wide"}})["ok"], true);
  ASSERT_EQ(show_->request({{"cmd", "scene.preview"}, {"scene", "pip"}})["ok"], true);
  Page& page = open_panel();
  ASSERT_TRUE(shows(page, "!document.getElementById('auto-director').hidden"));
  page.click("#auto-director");
  // mic1 speaks all the time: the director cuts to its scene and says whom it follows.
  ASSERT_TRUE(show_->reaches(
      "auto on, close on programme",
      [](const json& s) { return s["auto"]["enabled"] == true && s["program"] == "close"; }, 10s));
  EXPECT_TRUE(shows(page,
                    "document.getElementById('auto-director').getAttribute('aria-pressed') === "
                    "'true' && document.getElementById('auto-speaker').textContent === " +
                        js("following Floor mic")));
  EXPECT_TRUE(camera_->wait_for_payload(kTallyOn));
  page_->screenshot(std::filesystem::path(HALLCAST_WEB_SCREENSHOT_DIR) / "hall-auto.png");

  // A manual take: the director stands aside, and the panel says so.
  page.click("#take");
  ASSERT_TRUE(show_->reaches(
      "auto off after a take", [](const json& s) { return s["auto"]["enabled"] == false; }, 5s));
  EXPECT_TRUE(
      shows(page,
            "document.getElementById('auto-director').getAttribute('aria-pressed') === "
            "'false' && document.getElementById('toast').textContent.includes('AUTO off')"));
}

TEST_F(HallPanelTest, TheCameraDeskSpeaksRussianToARussianBrowser) {
  ASSERT_EQ(show_->request({{"cmd", "scene.cut"}, {"scene", "wide"}})["ok"], true);
  ASSERT_EQ(show_->request({{"cmd", "scene.preview"}, {"scene", "close"}})["ok"], true);
  Page& page = open_panel("ru-RU");
  ASSERT_TRUE(shows(page, "document.getElementById('ptz-link').dataset.link === 'ok'"));
  const json texts = page.evaluate(R"js((() => {
    const hall = document.getElementById("hall");
    return {link: document.getElementById("ptz-link").textContent,
            auto: document.getElementById("auto-director").textContent.trim(),
            store: document.getElementById("ptz-store").textContent.trim(),
            up: document.getElementById("ptz-up").getAttribute("aria-label"),
            section: hall.getAttribute("aria-label"),
            text: hall.innerText.toLowerCase()};
  })())js");
  EXPECT_EQ(texts["link"], "на связи") << texts;
  EXPECT_EQ(texts["auto"], "АВТО") << texts;
  EXPECT_EQ(texts["store"], "Запомнить") << texts;
  EXPECT_EQ(texts["up"], "Наклон вверх") << texts;
  EXPECT_EQ(texts["section"], "Камеры") << texts;
  // Only the cameras' own labels (from the config) are in Latin letters.
  const std::string text = texts["text"].get<std::string>();
  for (const char* english : {"camera", "store", "auto", "ok", "preset", "following"}) {
    EXPECT_EQ(text.find(english), std::string::npos) << english << " in:\n" << text;
  }
}

}  // namespace
}  // namespace hallcast::testing
