// The panel as an AV crew uses it, end to end: the real hallcast serving web/, headless
// Chromium clicking in it, and the engine's state read back over a WebSocket of the
// test's own.
//   - Listening: a booth's tone and a microphone's tone come out of the page's Web
//     Audio graph (an AnalyserNode the test puts in front of the page's output), one at
//     a time, and stop with the Stop button; the delay behind the hall is shown.
//   - Destinations: a "Go live" that one platform refuses lists it with its error until
//     it is stopped; each row shows how long it has been in its state.
//   - Screens: 1366x768, 1920x1080 and a 1024x768 touch screen, none scrolling; the
//     programme grows on the big screen; the tablet's faders have a fine mode.
//   - Languages: a browser in ru-RU gets the panel in Russian (numbers, plurals and
//     states as Russian writes them, tracks named in their own language), one in en-US
//     in English; the switch in the panel is remembered; both string tables have the
//     same keys.
// The show has the demo's sources plus two more (four cameras, three microphones, an
// English and a Russian booth) and one destination more than the other panel tests' (a
// platform on a closed port, off until "Go live").
// Screenshots go where the other panel tests put theirs.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "web/chromium.h"
#include "web/show_under_test.h"

namespace hallcast::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

std::filesystem::path screenshot_dir() {
  if (const char* dir = std::getenv("HALLCAST_WEB_SCREENSHOTS"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  return HALLCAST_WEB_SCREENSHOT_DIR;
}

std::string js(const std::string& text) {
  return json(text).dump();
}

// Puts an AnalyserNode in front of the page's audio output: whatever the page connects
// to its AudioContext's destination goes through it too. window.__heard(), then, is
// the loudest frequency the page plays now and its level.
const std::string kTapTheOutput = R"js((() => {
  if (window.__heard) return true;
  const connect = AudioNode.prototype.connect;
  AudioNode.prototype.connect = function (target, ...rest) {
    if (target instanceof AudioDestinationNode) {
      if (!target.context.__analyser) {
        target.context.__analyser = new AnalyserNode(target.context, {fftSize: 8192});
        window.__analyser = target.context.__analyser;
      }
      connect.call(this, target.context.__analyser);
    }
    return connect.call(this, target, ...rest);
  };
  window.__heard = () => {
    const a = window.__analyser;
    if (!a) return {hz: 0, db: -200};
    const bins = new Float32Array(a.frequencyBinCount);
    a.getFloatFrequencyData(bins);
    let best = 0;
    for (let i = 1; i < bins.length; i += 1) if (bins[i] > bins[best]) best = i;
    return {hz: best * a.context.sampleRate / a.fftSize, db: bins[best]};
  };
  return true;
})())js";

// True once the page plays a tone of `hz` (within two bins), loud enough to hear.
std::string hears(double hz) {
  return "(() => { const h = window.__heard(); return Math.abs(h.hz - " + std::to_string(hz) +
         ") < 12 && h.db > -60 && h; })()";
}

class CrewPanelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      show_ = std::make_unique<ShowUnderTest>([](json& config) {
        json dead = config["outputs"][1];  // the organiser's site, its key included
        dead["id"] = "dead";
        dead["name"] = "Dead platform";
        dead["url"] = "rtmp://127.0.0.1:9/live";
        dead["enabled"] = false;
        config["outputs"].push_back(dead);
        config["sources"].push_back({{"id", "cam4"},
                                     {"kind", "video"},
                                     {"uri", "test:video?pattern=snow"},
                                     {"label", "Audience"}});
        config["sources"].push_back({{"id", "mic3"},
                                     {"kind", "audio"},
                                     {"uri", "test:audio?freq=660&volume=0.2"},
                                     {"label", "Audience mic"}});
        config["sources"].push_back({{"id", "booth-ru"},
                                     {"kind", "interpretation"},
                                     {"language", "ru"},
                                     {"uri", "test:audio?freq=800&volume=0.3"},
                                     {"label", "Russian"}});
      });
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
    if (HasFailure() && show_) {
      std::cerr << "---- hallcast log ----\n" << show_->log() << "\n";
      const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
      for (std::size_t i = 0; i < pages_.size(); ++i) {
        try {
          save(*pages_[i], "failure-" + test + "-" + std::to_string(i + 1) + ".png");
        } catch (const std::exception& e) {
          std::cerr << "no failure screenshot: " << e.what() << "\n";
        }
      }
    }
    pages_.clear();
  }

  ShowUnderTest& show() { return *show_; }

  // `locale`: the browser's language, as Accept-Language, navigator.language and Intl
  // see it ("" leaves Chromium's own, en-US).
  Page& open_panel(const std::string& token, int width = 1366, int height = 768,
                   const std::string& locale = "") {
    pages_.push_back(browser_->new_page());
    Page& page = *pages_.back();
    page.set_viewport(width, height);
    if (!locale.empty()) {
      const std::string user_agent = page.evaluate("navigator.userAgent").get<std::string>();
      page.session().call("Network.setUserAgentOverride",
                          {{"userAgent", user_agent}, {"acceptLanguage", locale}});
      page.session().call("Emulation.setLocaleOverride", {{"locale", locale}});
    }
    page.navigate(show().url());
    if (page.wait_until("!document.getElementById('login').hidden", 15s).is_null()) {
      throw std::runtime_error("the login form did not appear");
    }
    page.click("#token");
    page.type(token);
    page.press(Key::enter());
    if (page.wait_until("!document.getElementById('panel').hidden && "
                        "document.querySelectorAll('#scenes .scene').length",
                        10s)
            .is_null()) {
      throw std::runtime_error("the panel did not open after logging in");
    }
    return page;
  }

  static void save(Page& page, const std::string& name) {
    const auto path = page.screenshot(screenshot_dir() / name);
    std::cout << "[ crew     ] screenshot " << path.string() << "\n";
  }

  static inline std::unique_ptr<ShowUnderTest> show_;
  static inline std::unique_ptr<Chromium> browser_;
  static inline std::string setup_error_;
  std::vector<std::unique_ptr<Page>> pages_;
};

TEST_F(CrewPanelTest, ListeningPlaysTheBoothThenTheMicrophoneThenStops) {
  // A viewer: listening changes nothing in the show, so a viewer may.
  Page& page = open_panel(ShowUnderTest::viewer_token);
  ASSERT_EQ(page.evaluate(kTapTheOutput), true);
  const std::string booth = "[data-channel=\"booth-en\"] button.listen";
  const std::string mic = "[data-channel=\"mic1\"] button.listen";
  ASSERT_FALSE(page.wait_until("document.querySelector(" + js(booth) + ") && " +
                                   "!document.querySelector(" + js(booth) + ").disabled",
                               10s)
                   .is_null());

  // The booth speaks two seconds in four, at 1000 Hz.
  page.click(booth);
  const json booth_heard = page.wait_until(hears(1000), 15s);
  EXPECT_FALSE(booth_heard.is_null())
      << "no 1000 Hz from the booth; last heard " << page.evaluate("window.__heard()").dump();
  EXPECT_EQ(page.evaluate("document.querySelector(" + js(booth) + ").getAttribute('aria-pressed')"),
            "true");
  EXPECT_EQ(page.evaluate("document.getElementById('listening').hidden"), false);
  // How far behind the hall the page plays, as the page measures it: it settles once
  // the packets of the start (the engine's queue, the decoder's first) have played.
  const std::string delay_ms = "Number(document.getElementById('listening-delay').dataset.ms) || 0";
  const json delay = page.wait_until(
      "(" + delay_ms + ") > 0 && (" + delay_ms + ") < 1000 && (" + delay_ms + ")", 15s);
  std::cout << "[ crew     ] listening delay, hall to this page's output: "
            << page.evaluate(delay_ms) << " ms\n";
  EXPECT_FALSE(delay.is_null()) << "the delay never came under a second: "
                                << page.evaluate(delay_ms) << " ms";
  // The figure docs/architecture.md quotes: the page's own reading after three more
  // seconds of listening (a measurement, not a wait for anything).
  const json settled =
      page.evaluate("new Promise((done) => setTimeout(() => done(" + delay_ms + "), 3000))", 10s);
  std::cout << "[ crew     ] listening delay, settled: " << settled << " ms\n";
  EXPECT_LT(settled.get<double>(), 1000);
  save(page, "listening-booth.png");

  // The microphone replaces it: 440 Hz, and the booth's button is off again.
  page.click(mic);
  EXPECT_FALSE(page.wait_until(hears(440), 10s).is_null())
      << "no 440 Hz from the microphone; last heard " << page.evaluate("window.__heard()").dump();
  EXPECT_EQ(page.evaluate("document.querySelector(" + js(booth) + ").getAttribute('aria-pressed')"),
            "false");

  // Stop: silence, and the listening bar goes.
  page.click("#listen-stop");
  EXPECT_FALSE(
      page.wait_until("window.__heard().db < -100 && document.getElementById('listening').hidden",
                      5s)
          .is_null())
      << "still playing after Stop; last heard " << page.evaluate("window.__heard()").dump();
  // Nothing in the show changed.
  const json state = show().state();
  EXPECT_EQ(find_by(state["audio"], "channel", "mic1")["muted"], false);
}

TEST_F(CrewPanelTest, AFailedGoLiveListsWhatFailedAndWhyUntilItIsStopped) {
  Page& page = open_panel(ShowUnderTest::operator_token);
  for (const char* id : {"spare", "dead"}) {
    ASSERT_EQ(show().request({{"cmd", "output.stop"}, {"output", id}})["ok"], true);
  }
  const std::string report = "document.getElementById('go-live-report')";
  page.click("#go-live");
  ASSERT_FALSE(page.wait_until("document.getElementById('confirm').open", 5s).is_null());
  page.click("#confirm-ok");
  // The dead platform, named, with why; the spare one goes live and is not listed.
  const json listed = page.wait_until(
      "!" + report + ".hidden && " + report + ".querySelector('[data-output=dead]')?.textContent",
      25s);
  ASSERT_FALSE(listed.is_null()) << "no report of the dead platform";
  EXPECT_NE(listed.get<std::string>().find("Dead platform"), std::string::npos) << listed;
  EXPECT_GT(listed.get<std::string>().size(), std::string("Dead platform — ").size() + 3)
      << "no reason given: " << listed;
  EXPECT_TRUE(show().reaches(
      "spare live",
      [](const json& s) { return find_by(s["outputs"], "id", "spare")["state"] == "live"; }, 20s));
  EXPECT_EQ(page.evaluate(report + ".querySelector('[data-output=spare]') === null"), true);
  // The row says how long it has been trying, and its error with the time.
  EXPECT_FALSE(page.wait_until("document.querySelector('[data-output=dead] .since')"
                               ".textContent.startsWith('for ')",
                               5s)
                   .is_null());
  EXPECT_FALSE(page.wait_until("/\\d:\\d\\d/.test(document.querySelector("
                               "'[data-output=dead] .error').textContent)",
                               5s)
                   .is_null());
  // The report does not cover the controls: every button stays where a click reaches it.
  EXPECT_EQ(page.evaluate(R"js([...document.querySelectorAll("#controls button")]
      .filter((b) => b.offsetParent !== null).every((b) => {
        const r = b.getBoundingClientRect();
        const x = r.left + r.width / 2, y = r.top + r.height / 2;
        return y > innerHeight || b.contains(document.elementFromPoint(x, y));
      }))js"),
            true);
  save(page, "go-live-failed.png");

  // Stopped, the dead platform's report goes, and with it the whole notice.
  ASSERT_EQ(show().request({{"cmd", "output.stop"}, {"output", "dead"}})["ok"], true);
  EXPECT_FALSE(page.wait_until(report + ".hidden", 5s).is_null());
  ASSERT_EQ(show().request({{"cmd", "output.stop"}, {"output", "spare"}})["ok"], true);
}

// What a screen shows: whether the page scrolls, main controls out of view, and the
// programme picture's width.
const std::string kScreenCheck = R"js((() => {
  const page = document.documentElement;
  const inside = (e) => {
    const r = e.getBoundingClientRect();
    return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight + 0.5 && r.right <= innerWidth + 0.5;
  };
  const main = [...document.querySelectorAll(
      "#scenes .scene, #take, #auto, #overlays .overlay, #go-live, #stop-all, .strip .fader, " +
      ".strip .mute, button.listen, .output .start-stop")];
  return {scrolls: page.scrollHeight > innerHeight || page.scrollWidth > innerWidth ||
                   [...document.querySelectorAll(".column")].some(
                       (c) => c.scrollHeight > c.clientHeight + 1 || c.scrollWidth > c.clientWidth + 1),
          hidden: main.filter((e) => !inside(e)).map((e) => e.outerHTML.slice(0, 60)),
          program: document.querySelector("figure.program").getBoundingClientRect().width,
          strips: document.querySelectorAll(".strip").length};
})())js";

TEST_F(CrewPanelTest, FitsALaptopABigScreenAndATablet) {
  Page& page = open_panel(ShowUnderTest::operator_token);
  ASSERT_FALSE(page.wait_until("document.querySelectorAll('.strip').length === 5", 10s).is_null());

  const json laptop = page.evaluate(kScreenCheck);
  EXPECT_EQ(laptop["scrolls"], false) << laptop;
  EXPECT_EQ(laptop["hidden"], json::array()) << "out of view at 1366x768";
  save(page, "crew-1366x768.png");

  page.set_viewport(1920, 1080);
  ASSERT_FALSE(page.wait_until("innerWidth === 1920", 5s).is_null());
  const json big = page.evaluate(kScreenCheck);
  EXPECT_EQ(big["scrolls"], false) << big;
  EXPECT_EQ(big["hidden"], json::array()) << "out of view at 1920x1080";
  EXPECT_GT(big["program"].get<double>(), 1.35 * laptop["program"].get<double>())
      << "the programme does not grow with the screen";
  save(page, "crew-1920x1080.png");

  page.set_viewport(1024, 768, true);
  ASSERT_FALSE(page.wait_until("innerWidth === 1024 && matchMedia('(pointer: coarse)').matches", 5s)
                   .is_null());
  const json tablet = page.evaluate(kScreenCheck);
  EXPECT_EQ(tablet["scrolls"], false) << tablet;
  EXPECT_EQ(tablet["hidden"], json::array()) << "out of view at 1024x768";
  // A fader's travel: 200 px or more, or in fine mode at most 0.2 dB a pixel.
  const std::string per_pixel = R"js((() => {
    const f = document.querySelector("[data-channel=mic1] .fader");
    const travel = f.getBoundingClientRect().height;
    return {travel, db_per_px: (Number(f.max) - Number(f.min)) / travel};
  })())js";
  const json coarse = page.evaluate(per_pixel);
  if (coarse["travel"].get<double>() < 200) {
    page.click("#fine-faders");
    const json fine = page.evaluate(per_pixel);
    EXPECT_LE(fine["db_per_px"].get<double>(), 0.2) << fine;
    EXPECT_EQ(page.evaluate("document.getElementById('fine-faders').getAttribute('aria-pressed')"),
              "true");
    page.click("#fine-faders");
  }
  save(page, "crew-1024x768-tablet.png");
}

TEST_F(CrewPanelTest, ShortcutsOnlyWithoutFocusTallyInWordsAndNamedMetersAndLights) {
  Page& page = open_panel(ShowUnderTest::operator_token);
  ASSERT_EQ(show().request({{"cmd", "scene.cut"}, {"scene", "wide"}})["ok"], true);
  ASSERT_EQ(show().request({{"cmd", "scene.preview"}, {"scene", "close"}})["ok"], true);
  // The tally in words: PGM and PVW on the scene buttons.
  EXPECT_FALSE(page.wait_until("document.querySelector('[data-scene=wide] .scene-tally')"
                               ".textContent === 'PGM' && document.querySelector("
                               "'[data-scene=close] .scene-tally').textContent === 'PVW'",
                               5s)
                   .is_null());
  // With a field focused, a digit is no shortcut.
  page.evaluate("document.getElementById('take').focus()");
  page.press(Key::digit(3));
  std::this_thread::sleep_for(700ms);
  EXPECT_EQ(show().state()["preview"], "close");
  page.evaluate("document.activeElement.blur()");
  page.press(Key::digit(3));
  EXPECT_TRUE(show().reaches(
      "pip on preview", [](const json& s) { return s["preview"] == "pip"; }, 3s));
  // Every meter, light and fader has a name.
  EXPECT_EQ(page.evaluate(R"js([...document.querySelectorAll(
      "[role=meter], .output .light, .fader")].filter(
      (e) => !(e.getAttribute("aria-label") || "").trim()).map((e) => e.outerHTML.slice(0, 80)))js"),
            json::array());
}

TEST_F(CrewPanelTest, RussianForARussianBrowserEnglishForAnEnglishOneAndTheSwitchRemembered) {
  ASSERT_EQ(show().request({{"cmd", "output.stop"}, {"output", "spare"}})["ok"], true);
  Page& ru = open_panel(ShowUnderTest::operator_token, 1366, 768, "ru-RU");
  ASSERT_EQ(ru.evaluate("navigator.language"), "ru-RU");
  EXPECT_EQ(ru.evaluate("document.documentElement.lang"), "ru");
  EXPECT_EQ(ru.evaluate("document.getElementById('go-live').textContent"), "В эфир…");
  EXPECT_EQ(ru.evaluate("document.querySelector('#scenes + .transition, .transition') &&"
                        "document.querySelector('#take span').textContent"),
            "Смена");
  // States as words, in Russian; plurals and numbers as Russian writes them.
  EXPECT_FALSE(ru.wait_until("document.querySelector('[data-output=spare] .status')"
                             ".textContent === 'остановлена'",
                             5s)
                   .is_null());
  const json numbers = ru.evaluate(R"js((() => ({
    reconnects: document.querySelector("[data-output=spare] .numbers").textContent,
    gain: document.querySelector("[data-channel=mic1] .gain").textContent,
    tracks: [...document.querySelectorAll("#tracks .track .name")].map((n) => n.textContent),
    strips: document.querySelector("[data-channel=booth-ru] .name small").textContent,
  }))())js");
  EXPECT_NE(numbers["reconnects"].get<std::string>().find("переподключени"), std::string::npos)
      << numbers;
  EXPECT_NE(numbers["gain"].get<std::string>().find(",0 дБ"), std::string::npos) << numbers;
  EXPECT_EQ(numbers["tracks"], json::array({"Зал", "English", "Русский"})) << numbers;
  EXPECT_EQ(numbers["strips"], "кабина: Русский") << numbers;
  // Russian plural forms for 1, 3 and 5.
  EXPECT_EQ(ru.evaluate(R"js(import("/i18n.js").then(({plural}) =>
      [1, 3, 5].map((n) => plural("reconnects", n))))js"),
            json::array({"1 переподключение", "3 переподключения", "5 переподключений"}));
  // No placeholder left unfilled, no English word where Russian was due.
  const std::string text = ru.evaluate("document.body.innerText").get<std::string>();
  EXPECT_EQ(text.find('{'), std::string::npos) << text;
  for (const char* english : {"Destinations", "Listen", "Mute", "Captions", "Scenes"}) {
    EXPECT_EQ(text.find(english), std::string::npos) << english << " in:\n" << text;
  }
  // Russian words are longer: the panel still fits without scrolling.
  const json fits = ru.evaluate(kScreenCheck);
  EXPECT_EQ(fits["scrolls"], false) << fits;
  EXPECT_EQ(fits["hidden"], json::array()) << "out of view in Russian at 1366x768";
  save(ru, "crew-ru.png");

  // The switch: English at once, and still English after a reload in this browser.
  ru.evaluate(R"js((() => {
    const select = document.getElementById("ui-language");
    select.value = "en";
    select.dispatchEvent(new Event("change", {bubbles: true}));
  })())js");
  EXPECT_FALSE(
      ru.wait_until("document.getElementById('go-live').textContent === 'Go live…'", 3s).is_null());
  ru.navigate(show().url());
  EXPECT_FALSE(ru.wait_until("!document.getElementById('panel').hidden && "
                             "document.getElementById('go-live').textContent === 'Go live…' && "
                             "document.querySelector('[data-output=spare] .status')?.textContent "
                             "=== 'stopped'",
                             10s)
                   .is_null());

  Page& en = open_panel(ShowUnderTest::operator_token, 1366, 768, "en-US");
  EXPECT_EQ(en.evaluate("document.documentElement.lang"), "en");
  EXPECT_EQ(en.evaluate(R"js([...document.querySelectorAll("#tracks .track .name")]
      .map((n) => n.textContent))js"),
            json::array({"Floor", "English", "Русский"}));
  EXPECT_EQ(en.evaluate(R"js(import("/i18n.js").then(({plural}) =>
      [1, 3].map((n) => plural("reconnects", n))))js"),
            json::array({"1 reconnect", "3 reconnects"}));

  // Both string tables have the same keys, and each plural every form its language uses.
  EXPECT_EQ(en.evaluate(R"js(Promise.all([import("/i18n/en.js"), import("/i18n/ru.js")])
      .then(([en, ru]) => {
        const a = Object.keys(en.default).sort(), b = Object.keys(ru.default).sort();
        const missing = a.filter((k) => !b.includes(k)).concat(b.filter((k) => !a.includes(k)));
        const forms = (table, lang) => Object.entries(table).filter(([, v]) => typeof v === "object")
            .flatMap(([k, v]) => new Intl.PluralRules(lang).resolvedOptions().pluralCategories
                .filter((c) => !(c in v)).map((c) => `${lang} ${k} ${c}`));
        return missing.concat(forms(en.default, "en"), forms(ru.default, "ru"));
      }))js"),
            json::array());
}

}  // namespace
}  // namespace hallcast::testing
