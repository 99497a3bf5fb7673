#include "control_fixture.h"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

namespace hallcast::control {

namespace {

constexpr const char* token_variable = "HALLCAST_TEST_CONTROL_TOKEN";
constexpr const char* viewer_variable = "HALLCAST_TEST_CONTROL_VIEWER_TOKEN";
constexpr const char* key_variable = "HALLCAST_TEST_CONTROL_KEY";

std::string show_json(const std::filesystem::path& record_dir) {
  return R"({
    "event": { "title": "control test",
               "speakers": [ { "id": "abiru", "name": "Taisuke Abiru", "role": "Fellow" } ] },
    "video": { "width": 320, "height": 180, "fps": 30, "bitrate_kbps": 400,
               "keyframe_interval_s": 1 },
    "audio": { "sample_rate": 48000, "bitrate_kbps": 64 },
    "sources": [
      { "id": "cam1", "kind": "video", "uri": "test:video?pattern=ball", "label": "Wide" },
      { "id": "cam2", "kind": "video", "uri": "test:video?pattern=smpte", "label": "Close" },
      { "id": "mic1", "kind": "audio", "uri": "test:audio?freq=440&volume=0.3", "label": "Floor" },
      { "id": "booth-en", "kind": "interpretation", "language": "en",
        "uri": "test:audio?freq=1000&volume=0.3&on_s=2&off_s=3", "label": "English booth" }
    ],
    "scenes": [
      { "id": "wide", "name": "Wide", "layers": [ { "source": "cam1", "x": 0, "y": 0, "w": 1, "h": 1 } ] },
      { "id": "close", "name": "Close-up", "layers": [ { "source": "cam2", "x": 0, "y": 0, "w": 1, "h": 1 } ] }
    ],
    "overlays": [ { "id": "lt-abiru", "type": "lower_third", "speaker": "abiru" },
                  { "id": "slate", "type": "title", "text": "Starting soon" } ],
    "outputs": [
      { "id": "rec", "name": "Recording", "type": "record", "path": ")" +
         record_dir.string() + R"(" },
      { "id": "vk", "name": "VK", "type": "rtmp", "url": "rtmp://127.0.0.1:1/live",
        "key_env": "HALLCAST_TEST_CONTROL_KEY", "language": "en", "enabled": false }
    ],
    "control": { "listen": "127.0.0.1:8080", "token_env": "HALLCAST_TEST_CONTROL_TOKEN",
                 "viewer_token_env": "HALLCAST_TEST_CONTROL_VIEWER_TOKEN" }
  })";
}

}  // namespace

void ControlTest::SetUp() {
  dir_ = std::make_unique<testing::TempDir>("hallcast-control");
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_);
  auto logger = std::make_shared<spdlog::logger>("control-test", sink);
  logger->set_level(spdlog::level::trace);
  previous_logger_ = spdlog::default_logger();
  spdlog::set_default_logger(logger);
}

void ControlTest::TearDown() {
  stop_show();
  spdlog::set_default_logger(previous_logger_);
  unsetenv(token_variable);
  unsetenv(viewer_variable);
  unsetenv(key_variable);
}

void ControlTest::start_show(Setup setup) {
  setenv(key_variable, stream_key, 1);
  setup.operator_token ? setenv(token_variable, operator_token, 1) : unsetenv(token_variable);
  setup.viewer_token ? setenv(viewer_variable, viewer_token, 1) : unsetenv(viewer_variable);

  config_ = config::parse(show_json(dir_->path() / "rec"));
  config_.control.host = setup.host;
  config_.control.port = setup.port;  // 0: any free port, no race with other tests
  config_.outputs.insert(config_.outputs.end(), setup.extra_outputs.begin(),
                         setup.extra_outputs.end());

  // As the app does: every secret goes to the redactor before anything can log it.
  redactor_ = {};
  redactor_.add(stream_key);
  redactor_.add(operator_token);
  redactor_.add(viewer_token);

  engine_ = std::make_unique<engine::Engine>(
      config_, engine::EngineOptions{std::filesystem::path(HALLCAST_SOURCE_DIR) / "pipelines"},
      redactor_);
  ServerOptions options;
  options.web_dir =
      setup.web_dir.empty() ? std::filesystem::path(HALLCAST_SOURCE_DIR) / "web" : setup.web_dir;
  options.tokens = tokens_from_config(config_.control);
  options.max_queued_frames = setup.max_queued_frames;
  options.hls_dirs = hls_folders(config_);
  options.watch = watch_page(config_);
  options.request_timeout = setup.request_timeout;
  options.connection_limits = std::make_shared<ConnectionLimits>(setup.connection_limits);
  options.login_throttle = setup.login_throttle;
  server_ = std::make_unique<ControlServer>(config_.control, options, *engine_, redactor_);
  thumbnails_->store(0);
  engine_->add_listener([count = thumbnails_](const show::Event& event) {
    if (std::holds_alternative<show::Thumbnail>(event))
      ++*count;
  });
  if (setup.before_start) {
    setup.before_start();
  }
  engine_->start();
  server_->start();
}

void ControlTest::stop_show() {
  if (server_)
    server_->stop();
  if (engine_)
    engine_->stop(std::chrono::seconds(4));
  server_.reset();
  engine_.reset();
}

std::unique_ptr<testing::WsClient> ControlTest::connect(std::vector<std::string> headers) const {
  testing::WsClient::Options options;
  options.headers = std::move(headers);
  return std::make_unique<testing::WsClient>(port(), options);
}

std::unique_ptr<testing::WsClient> ControlTest::connect_operator() const {
  return connect({bearer(operator_token)});
}

std::unique_ptr<testing::WsClient> ControlTest::connect_viewer() const {
  return connect({bearer(viewer_token)});
}

ThumbnailFrame parse_thumbnail(const std::string& payload) {
  ThumbnailFrame frame;
  if (payload.size() < 2)
    return frame;
  const std::size_t length =
      (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]);
  if (payload.size() < 2 + length)
    return frame;
  frame.header = nlohmann::json::parse(payload.substr(2, length), nullptr, false);
  frame.jpeg = payload.substr(2 + length);
  frame.ok = frame.header.is_object() && !frame.jpeg.empty();
  return frame;
}

std::string session_from(const testing::HttpResponse& response) {
  const std::string cookie = response.header("set-cookie");
  const auto start = cookie.find("hallcast_session=");
  if (start == std::string::npos)
    return {};
  const auto value = start + std::string("hallcast_session=").size();
  return cookie.substr(value, cookie.find(';', value) - value);
}

nlohmann::json initial_state(testing::WsClient& client) {
  nlohmann::json state = client.receive_json();
  EXPECT_EQ(state.value("event", ""), "state");
  return state;
}

std::vector<nlohmann::json> drain_events(testing::WsClient& client,
                                         std::chrono::milliseconds quiet) {
  std::vector<nlohmann::json> events;
  for (auto& message : client.take_all(quiet)) {
    if (message.contains("event"))
      events.push_back(std::move(message));
  }
  return events;
}

}  // namespace hallcast::control
