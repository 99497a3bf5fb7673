// The hallcast under test for the panel tests (see show_under_test.h).
#include "web/show_under_test.h"

#include <csignal>
#include <ctime>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "support/ports.h"
#include "support/ws_client.h"

namespace hallcast::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

const std::filesystem::path kSourceDir = HALLCAST_SOURCE_DIR;

constexpr const char* kTokenVariable = "HALLCAST_PANEL_TEST_TOKEN";
constexpr const char* kViewerVariable = "HALLCAST_PANEL_TEST_VIEWER_TOKEN";
constexpr const char* kSiteKeyVariable = "HALLCAST_PANEL_TEST_KEY_SITE";
constexpr const char* kSpareKeyVariable = "HALLCAST_PANEL_TEST_KEY_SPARE";

json layer(const char* source, double x, double y, double w, double h) {
  return {{"source", source}, {"x", x}, {"y", y}, {"w", w}, {"h", h}};
}

// `time` as an ISO 8601 time in Moscow (UTC+3), to the second.
std::string moscow_time(std::chrono::system_clock::time_point time) {
  const std::time_t t = std::chrono::system_clock::to_time_t(time + std::chrono::hours(3));
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S+03:00", &utc);
  return text;
}

std::string tail(const std::string& text, std::size_t length = 6000) {
  return text.size() <= length ? text : "…" + text.substr(text.size() - length);
}

}  // namespace

json find_by(const json& list, const std::string& key, const std::string& id) {
  for (const json& entry : list) {
    if (entry.value(key, "") == id) {
      return entry;
    }
  }
  return json();
}

ShowUnderTest::ShowUnderTest(std::function<void(json&)> adjust)
    : port_(free_loopback_port()),
      start_(std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now() +
                                                                std::chrono::minutes(10))) {
  config_file_ = work_.path() / "panel-show.json";
  json document = config();
  if (adjust) {
    adjust(document);
  }
  std::ofstream(config_file_) << document.dump(2);
  start();
}

ShowUnderTest::~ShowUnderTest() {
  if (program_ && program_->running()) {
    program_->send_signal(SIGCONT);
    program_->send_signal(SIGTERM);
    program_->wait_for_exit(std::chrono::seconds(8));
  }
}

json ShowUnderTest::config() const {
  const std::string recordings = (work_.path() / "recordings").string();
  return {
      {"event",
       {{"title", "hallcast panel test"},
        {"venue", "Conference Hall"},
        {"start", moscow_time(start_)},
        {"speakers",
         json::array({{{"id", "abiru"}, {"name", "Taisuke Abiru"}, {"role", "Panelist"}}})}}},
      {"video",
       {{"width", 320},
        {"height", 180},
        {"fps", 25},
        {"bitrate_kbps", 400},
        {"keyframe_interval_s", 1}}},
      {"audio", {{"sample_rate", 48000}, {"bitrate_kbps", 96}}},
      {"sources", json::array({
                      {{"id", "cam1"},
                       {"kind", "video"},
                       {"uri", "test:video?pattern=ball"},
                       {"label", "Wide"}},
                      {{"id", "cam2"},
                       {"kind", "video"},
                       {"uri", "test:video?pattern=smpte"},
                       {"label", "Close"}},
                      // A capture device this machine does not have: lost from the start.
                      {{"id", "cam3"},
                       {"kind", "video"},
                       {"uri", "v4l2:///dev/video99"},
                       {"label", "Lectern"}},
                      {{"id", "mic1"},
                       {"kind", "audio"},
                       {"uri", "test:audio?freq=440&volume=0.3"},
                       {"label", "Floor mic"}},
                      // A microphone this machine does not have: lost from the start.
                      {{"id", "mic2"},
                       {"kind", "audio"},
                       {"uri", "pulse://hallcast-no-such-microphone"},
                       {"label", "Lectern mic"}},
                      {{"id", "booth-en"},
                       {"kind", "interpretation"},
                       {"language", "en"},
                       {"uri", "test:audio?freq=1000&volume=0.3&on_s=2&off_s=2"},
                       {"label", "English"}},
                  })},
      {"scenes",
       json::array({
           {{"id", "wide"}, {"name", "Wide"}, {"layers", json::array({layer("cam1", 0, 0, 1, 1)})}},
           {{"id", "close"},
            {"name", "Close-up"},
            {"layers", json::array({layer("cam2", 0, 0, 1, 1)})}},
           {{"id", "pip"},
            {"name", "Wide + PiP"},
            {"layers",
             json::array({layer("cam1", 0, 0, 1, 1), layer("cam2", 0.65, 0.05, 0.3, 0.3)})}},
       })},
      {"overlays", json::array({
                       {{"id", "lt-abiru"}, {"type", "lower_third"}, {"speaker", "abiru"}},
                       {{"id", "slate"}, {"type", "title"}, {"text", "Starting soon"}},
                   })},
      {"outputs",
       json::array({
           {{"id", "rec"}, {"name", "Recording"}, {"type", "record"}, {"path", recordings}},
           {{"id", "site"},
            {"name", "Organiser site"},
            {"type", "rtmp"},
            {"url", nginx_.url()},
            {"key_env", kSiteKeyVariable},
            {"language", "floor"},
            {"enabled", true}},
           {{"id", "spare"},
            {"name", "Spare platform"},
            {"type", "rtmp"},
            {"url", nginx_.url()},
            {"key_env", kSpareKeyVariable},
            {"language", "en"},
            {"enabled", false}},
       })},
      {"control",
       {{"listen", "127.0.0.1:" + std::to_string(port_)},
        {"token_env", kTokenVariable},
        {"viewer_token_env", kViewerVariable}}},
      // Far enough ahead that no cue runs by itself while the tests run.
      {"schedule", json::array({
                       {{"at", "-5m"}, {"cmd", "overlay.show"}, {"overlay", "slate"}},
                       {{"at", "+0s"}, {"cmd", "scene.cut"}, {"scene", "pip"}},
                       {{"at", "+2h"}, {"cmd", "output.stop"}, {"output", "rec"}},
                   })},
  };
}

void ShowUnderTest::start() {
  if (program_) {
    earlier_logs_ += program_->output() + "---- hallcast restarted ----\n";
  }
  program_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{HALLCAST_BINARY, "run", "--config", config_file_.string(),
                               "--pipelines", (kSourceDir / "pipelines").string(), "--web",
                               (kSourceDir / "web").string()},
      Environment{{kTokenVariable, operator_token},
                  {kViewerVariable, viewer_token},
                  {kSiteKeyVariable, site_key},
                  {kSpareKeyVariable, spare_key}},
      work_.path());
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  for (;;) {
    if (!program_->running()) {
      throw std::runtime_error("hallcast exited at start:\n" + tail(program_->output()));
    }
    if (can_connect(port_)) {
      try {
        state();
        return;
      } catch (const std::exception&) {
        // listening, not answering yet
      }
    }
    if (Clock::now() >= deadline) {
      throw std::runtime_error("hallcast did not answer on port " + std::to_string(port_) + ":\n" +
                               tail(program_->output()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void ShowUnderTest::kill() {
  program_->send_signal(SIGKILL);
  program_->wait_for_exit(std::chrono::seconds(5));
}

void ShowUnderTest::freeze() {
  program_->send_signal(SIGSTOP);
}

void ShowUnderTest::thaw() {
  program_->send_signal(SIGCONT);
}

json ShowUnderTest::state() const {
  WsClient client(port_, {.headers = {std::string("Authorization: Bearer ") + operator_token}});
  if (!client.upgraded()) {
    throw std::runtime_error("the control WebSocket refused the operator token: HTTP " +
                             std::to_string(client.status()));
  }
  json state = client.receive_json();
  if (state.value("event", "") != "state") {
    throw std::runtime_error("the first message was not the state: " + state.dump());
  }
  return state;
}

json ShowUnderTest::request(json request) const {
  WsClient client(port_, {.headers = {std::string("Authorization: Bearer ") + operator_token}});
  if (!client.upgraded()) {
    throw std::runtime_error("the control WebSocket refused the operator token");
  }
  request["id"] = 1;
  return client.request(request);
}

::testing::AssertionResult ShowUnderTest::reaches(const std::string& what,
                                                  const std::function<bool(const json&)>& condition,
                                                  std::chrono::milliseconds timeout) const {
  const auto deadline = Clock::now() + timeout;
  json last;
  for (;;) {
    last = state();
    if (condition(last)) {
      return ::testing::AssertionSuccess();
    }
    if (Clock::now() >= deadline) {
      last.erase("programme");
      return ::testing::AssertionFailure() << "the engine did not reach \"" << what << "\" within "
                                           << timeout.count() << " ms; its last state:\n"
                                           << last.dump(1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

std::string ShowUnderTest::log() const {
  return tail(earlier_logs_ + (program_ ? program_->output() : std::string()), 12000);
}

}  // namespace hallcast::testing
