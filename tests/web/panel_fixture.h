// The panel tests' fixture: one hallcast (ShowUnderTest) and one headless Chromium for
// a test program, pages in fresh browser contexts, and checks on the page written as
// JavaScript expressions. Screenshots go to HALLCAST_WEB_SCREENSHOTS, or
// build/tests/web-screenshots; a failing test keeps one of each page and hallcast's log.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "web/chromium.h"
#include "web/show_under_test.h"

namespace hallcast::testing {

using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

inline std::filesystem::path screenshot_dir() {
  if (const char* dir = std::getenv("HALLCAST_WEB_SCREENSHOTS"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  return HALLCAST_WEB_SCREENSHOT_DIR;
}

inline long long ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

// A JavaScript string literal.
inline std::string js(const std::string& text) {
  return json(text).dump();
}

// Checks on the page, as JavaScript expressions.
inline std::string shown(const std::string& id) {
  return "!document.getElementById(" + js(id) + ").hidden";
}
inline std::string scene_button(const std::string& scene) {
  return "#scenes [data-scene=" + js(scene) + "]";
}
inline std::string has_class(const std::string& selector, const std::string& name) {
  return "document.querySelector(" + js(selector) + ")?.classList.contains(" + js(name) + ")";
}
inline std::string attribute_is(const std::string& selector, const std::string& attribute,
                                const std::string& value) {
  return "document.querySelector(" + js(selector) + ")?.getAttribute(" + js(attribute) +
         ") === " + js(value);
}
// Every multiview picture loaded from a blob: URL: the programme, the preview, each camera.
inline const std::string kPicturesLoaded = R"js((() => {
  const images = [...document.querySelectorAll("figure.feed img")];
  const loaded = images.filter((img) => img.src.startsWith("blob:") && img.complete &&
                                        img.naturalWidth > 0);
  return images.length > 0 && loaded.length === images.length &&
         images.map((img) => ({feed: img.closest("figure").dataset.feed, width: img.naturalWidth,
                               height: img.naturalHeight}));
})())js";

class PanelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto started = Clock::now();
    try {
      show_ = std::make_unique<ShowUnderTest>();
      browser_ = std::make_unique<Chromium>();
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
    std::cout << "[ panel    ] hallcast on port " << (show_ ? show_->port() : 0)
              << ", Chromium ready in " << ms_since(started) << " ms; screenshots go to "
              << screenshot_dir().string() << "\n";
  }

  static void TearDownTestSuite() {
    browser_.reset();
    show_.reset();
  }

  void SetUp() override { ASSERT_TRUE(setup_error_.empty()) << setup_error_; }

  void TearDown() override {
    if (HasFailure() && !pages_.empty()) {
      const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
      for (std::size_t i = 0; i < pages_.size(); ++i) {
        try {
          save(*pages_[i], "failure-" + test + "-" + std::to_string(i + 1) + ".png");
        } catch (const std::exception& e) {
          std::cerr << "no failure screenshot: " << e.what() << "\n";
        }
      }
    }
    if (HasFailure() && show_) {
      std::cerr << "---- hallcast log ----\n" << show_->log() << "\n";
    }
    pages_.clear();
  }

  ShowUnderTest& show() { return *show_; }

  // A blank page in a browser context of its own, 1366x768.
  Page& new_page() {
    pages_.push_back(browser_->new_page());
    pages_.back()->set_viewport(1366, 768);
    return *pages_.back();
  }

  // Types the token into the login form and submits it with Enter.
  static void log_in(Page& page, const std::string& token) {
    if (page.wait_until(shown("login"), 15s).is_null()) {
      throw std::runtime_error("the login form did not appear");
    }
    page.click("#token");
    page.type(token);
    page.press(Key::enter());
  }

  // A page logged in with `token`, showing the panel with the show's scenes; `locale`
  // ("ru-RU") is the browser's language, as its user would have set it.
  Page& open_panel(const std::string& token, const std::string& locale = "") {
    Page& page = new_page();
    if (!locale.empty()) {
      const std::string user_agent = page.evaluate("navigator.userAgent").get<std::string>();
      page.session().call("Network.setUserAgentOverride",
                          {{"userAgent", user_agent}, {"acceptLanguage", locale}});
      page.session().call("Emulation.setLocaleOverride", {{"locale", locale}});
    }
    page.navigate(show().url());
    log_in(page, token);
    if (page.wait_until(shown("panel") + " && document.querySelectorAll('#scenes .scene').length",
                        10s)
            .is_null()) {
      throw std::runtime_error("the panel did not open after logging in");
    }
    return page;
  }

  static std::filesystem::path save(Page& page, const std::string& name) {
    const auto path = page.screenshot(screenshot_dir() / name);
    std::cout << "[ panel    ] screenshot " << path.string() << "\n";
    return path;
  }

  // Puts the show into a known state: `program` on air, `preview` on preview, captions
  // off, every fader at 0 dB and unmuted.
  void reset_show(const std::string& program, const std::string& preview) {
    ASSERT_EQ(show().request({{"cmd", "scene.cut"}, {"scene", program}})["ok"], true);
    ASSERT_EQ(show().request({{"cmd", "scene.preview"}, {"scene", preview}})["ok"], true);
    for (const char* overlay : {"lt-abiru", "slate"}) {
      ASSERT_EQ(show().request({{"cmd", "overlay.hide"}, {"overlay", overlay}})["ok"], true);
    }
    for (const char* channel : {"mic1", "booth-en"}) {
      ASSERT_EQ(show().request({{"cmd", "audio.set"},
                                {"channel", channel},
                                {"gain_db", 0.0},
                                {"muted", false}})["ok"],
                true);
    }
  }

  // Waits until the page shows `scene` with the tally class `tally` (on-program,
  // on-preview); returns how long it took.
  static ::testing::AssertionResult page_shows(Page& page, const std::string& expression,
                                               std::chrono::milliseconds timeout = 3s) {
    if (page.wait_until(expression, timeout).is_null()) {
      return ::testing::AssertionFailure() << "the page never showed: " << expression;
    }
    return ::testing::AssertionSuccess();
  }

  static inline std::unique_ptr<ShowUnderTest> show_;
  static inline std::unique_ptr<Chromium> browser_;
  static inline std::string setup_error_;
  std::vector<std::unique_ptr<Page>> pages_;
};

}  // namespace hallcast::testing
