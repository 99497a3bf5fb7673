// The multiview over a real socket against the real engine: subscribed clients get a
// thumbnail of the programme, the preview and every camera as binary frames; nobody
// else gets any, and the engine makes none while nobody is subscribed. Thumbnails
// never cost a slow client its connection. Also the switch latency in state and
// /metrics.
#include <gtest/gtest.h>

#include <optional>
#include <regex>
#include <set>
#include <thread>

#include "control_fixture.h"

namespace hallcast::control {
namespace {

using nlohmann::json;

// What the fixture's show must show: both scenes' buses and its two cameras (the
// audio sources have no picture).
const std::set<std::string> every_feed = {"program", "preview", "source:cam1", "source:cam2"};

json subscribe(int id) {
  return {{"id", id}, {"cmd", "multiview.subscribe"}};
}
json unsubscribe(int id) {
  return {{"id", id}, {"cmd", "multiview.unsubscribe"}};
}
json ok(int id) {
  return {{"id", id}, {"ok", true}};
}

struct Size {
  int width = 0;
  int height = 0;
};

// The picture size from a JPEG's frame header (SOFn), walking the marker segments
// before the scan; nullopt if there is none.
std::optional<Size> jpeg_size(const std::string& jpeg) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(jpeg[i]); };
  std::size_t i = 2;  // past SOI
  while (i + 4 <= jpeg.size()) {
    if (byte(i) != 0xFF)
      return std::nullopt;
    const unsigned char marker = byte(i + 1);
    if (marker == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    const std::size_t length = (byte(i + 2) << 8) | byte(i + 3);
    const bool frame_header =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (frame_header && i + 9 <= jpeg.size()) {
      return Size{(byte(i + 7) << 8) | byte(i + 8), (byte(i + 5) << 8) | byte(i + 6)};
    }
    if (marker == 0xDA)  // start of scan: no frame header before it
      return std::nullopt;
    i += 2 + length;
  }
  return std::nullopt;
}

// Reads `client`'s thumbnails until every feed has been seen (or `timeout`), checking
// each frame on the way; the feeds seen.
std::set<std::string> collect_feeds(testing::WsClient& client,
                                    std::chrono::milliseconds timeout = 10s) {
  std::set<std::string> seen;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (seen != every_feed && std::chrono::steady_clock::now() < deadline) {
    for (const std::string& payload : client.take_binary(250ms)) {
      const ThumbnailFrame frame = parse_thumbnail(payload);
      EXPECT_TRUE(frame.ok) << "a malformed frame of " << payload.size() << " bytes";
      if (!frame.ok)
        continue;
      const std::string feed = frame.header.value("feed", "");
      EXPECT_EQ(frame.header.value("type", ""), "image/jpeg") << frame.header.dump();
      EXPECT_TRUE(every_feed.contains(feed)) << "unexpected feed " << frame.header.dump();
      const std::string& jpeg = frame.jpeg;
      EXPECT_GE(jpeg.size(), 4u) << feed;
      if (jpeg.size() < 4)
        continue;
      EXPECT_EQ(jpeg.substr(0, 2), "\xFF\xD8") << feed << ": no JPEG start-of-image";
      EXPECT_EQ(jpeg.substr(jpeg.size() - 2), "\xFF\xD9") << feed << ": no JPEG end-of-image";
      const auto size = jpeg_size(jpeg);
      EXPECT_TRUE(size.has_value()) << feed << ": no JPEG frame header";
      if (size) {
        // A thumbnail, not a full picture (the show's video is 320x180 here).
        EXPECT_GT(size->width, 0) << feed;
        EXPECT_GT(size->height, 0) << feed;
        EXPECT_LE(size->width, 640) << feed;
        EXPECT_LE(size->height, 360) << feed;
      }
      seen.insert(feed);
    }
  }
  return seen;
}

std::string metrics(int port, const char* token) {
  return testing::http_get(port, "/metrics", {std::string("Authorization: Bearer ") + token}).body;
}

// After the last subscriber has gone: the engine stops within a second, and from then
// on announces nothing and `watchers` receive nothing.
void expect_multiview_stops(const std::function<std::uint64_t()>& announced,
                            const std::vector<testing::WsClient*>& watchers) {
  // In-flight thumbnails may still land during the first second.
  for (auto* client : watchers)
    client->take_binary(0ms);
  std::this_thread::sleep_for(1s);
  for (auto* client : watchers)
    client->take_binary(0ms);
  const std::uint64_t before = announced();
  std::size_t received = 0;
  const auto until = std::chrono::steady_clock::now() + 1s;
  for (auto* client : watchers) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    received += client->take_binary(std::max(left, 0ms)).size();
  }
  if (watchers.empty())
    std::this_thread::sleep_for(1s);
  EXPECT_EQ(received, 0u) << "thumbnails still arrive a second after the last subscriber left";
  EXPECT_EQ(announced(), before) << "the engine still makes thumbnails with no subscriber";
}

TEST_F(ControlTest, MultiviewGoesOnlyToSubscribedClients) {
  start_show();
  auto watcher = connect_operator();
  auto bystander = connect_operator();
  initial_state(*watcher);
  initial_state(*bystander);

  // Nobody subscribed: the engine spends nothing on thumbnails.
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(thumbnails_announced(), 0u);
  EXPECT_TRUE(watcher->take_binary(0ms).empty());

  EXPECT_EQ(watcher->request(subscribe(1)), ok(1));
  EXPECT_EQ(collect_feeds(*watcher), every_feed);
  EXPECT_GT(thumbnails_announced(), 0u);
  EXPECT_NE(metrics(port(), operator_token).find("\nhallcast_control_multiview_clients 1\n"),
            std::string::npos);

  // The unsubscribed client on the same server got none, and still gets its events.
  EXPECT_TRUE(bystander->take_binary(500ms).empty());
  EXPECT_EQ(bystander->request({{"id", 2}, {"cmd", "scene.cut"}, {"scene", "close"}}), ok(2));
  EXPECT_EQ(watcher->wait_for([](const json& m) { return m.value("event", "") == "program"; })
                .value("scene", ""),
            "close");

  EXPECT_EQ(watcher->request(unsubscribe(3)), ok(3));
  expect_multiview_stops([this] { return thumbnails_announced(); }, {watcher.get()});
  EXPECT_TRUE(bystander->take_binary(0ms).empty());
  EXPECT_NE(metrics(port(), operator_token).find("\nhallcast_control_multiview_clients 0\n"),
            std::string::npos);
}

TEST_F(ControlTest, AViewerMaySubscribeToTheMultiview) {
  start_show();
  auto viewer = connect_viewer();
  initial_state(*viewer);
  EXPECT_EQ(viewer->request(subscribe(1)), ok(1));
  EXPECT_EQ(collect_feeds(*viewer), every_feed);
  EXPECT_EQ(viewer->request(unsubscribe(2)), ok(2));
}

TEST_F(ControlTest, SubscribingTwiceCountsOnceAndEveryAnswerIsOk) {
  start_show();
  auto client = connect_operator();
  initial_state(*client);
  // Unsubscribing first is harmless.
  EXPECT_EQ(client->request(unsubscribe(1)), ok(1));
  EXPECT_EQ(client->request(subscribe(2)), ok(2));
  EXPECT_EQ(client->request(subscribe(3)), ok(3));
  EXPECT_NE(metrics(port(), operator_token).find("\nhallcast_control_multiview_clients 1\n"),
            std::string::npos);
  // One unsubscribe undoes both subscribes.
  EXPECT_EQ(client->request(unsubscribe(4)), ok(4));
  EXPECT_EQ(client->request(unsubscribe(5)), ok(5));
  EXPECT_NE(metrics(port(), operator_token).find("\nhallcast_control_multiview_clients 0\n"),
            std::string::npos);
  // They take no fields, like every command.
  const json reply =
      client->request({{"id", 6}, {"cmd", "multiview.subscribe"}, {"feeds", {"program"}}});
  EXPECT_EQ(reply["ok"], false);
  EXPECT_EQ(reply["error"], "unknown_field");
  expect_multiview_stops([this] { return thumbnails_announced(); }, {client.get()});
}

TEST_F(ControlTest, TheMultiviewStopsWhenTheLastSubscriberDisconnects) {
  start_show();
  auto first = connect_operator();
  auto second = connect_viewer();
  initial_state(*first);
  initial_state(*second);
  EXPECT_EQ(first->request(subscribe(1)), ok(1));
  EXPECT_EQ(second->request(subscribe(1)), ok(1));
  EXPECT_FALSE(first->take_binary(2s).empty());

  // One leaves without unsubscribing: the other still gets the pictures.
  // (With pictures still unread on its side, the server's answer may be cut short by a
  // reset: the close code is not the point here.)
  first->close();
  EXPECT_NE(first->wait_for_close(), -1);
  second->take_binary(500ms);
  EXPECT_EQ(collect_feeds(*second), every_feed);

  // The last one leaves (here without even a close frame): the engine stops.
  second.reset();
  expect_multiview_stops([this] { return thumbnails_announced(); }, {});
  EXPECT_NE(metrics(port(), operator_token).find("\nhallcast_control_multiview_clients 0\n"),
            std::string::npos);

  // And starts again for the next subscriber.
  auto third = connect_operator();
  initial_state(*third);
  EXPECT_EQ(third->request(subscribe(1)), ok(1));
  EXPECT_EQ(collect_feeds(*third), every_feed);

  // A server that stops takes its subscribers with it; the show goes on without
  // thumbnails.
  server().stop();
  EXPECT_EQ(third->wait_for_close(), 1001);
  expect_multiview_stops([this] { return thumbnails_announced(); }, {});
}

TEST_F(ControlTest, ThumbnailsNeverCostASlowClientItsConnection) {
  Setup setup;
  setup.max_queued_frames = 128;
  start_show(setup);
  // Subscribed, then never reading: its socket buffers fill with pictures, then half
  // its queue; from then on it skips thumbnails instead of being dropped.
  testing::WsClient::Options options;
  options.headers = {bearer(operator_token)};
  options.receive_buffer = 4096;
  testing::WsClient stuck(port(), options);
  ASSERT_TRUE(stuck.upgraded());
  stuck.send_text(subscribe(1).dump());

  const std::regex skipped("\nhallcast_control_thumbnails_skipped_total ([0-9]+)\n");
  std::smatch match;
  std::string text;
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  bool skipping = false;
  while (!skipping && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(250ms);
    text = metrics(port(), operator_token);
    skipping = std::regex_search(text, match, skipped) && std::stoull(match[1]) > 0;
  }
  EXPECT_TRUE(skipping) << "no thumbnail was ever skipped:\n" << text;
  EXPECT_NE(text.find("\nhallcast_control_clients_dropped_total 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nhallcast_control_clients{role=\"operator\"} 1\n"), std::string::npos)
      << text;

  // It catches up: its state, its reply and its events are all there, then pictures.
  EXPECT_EQ(stuck.receive_json(10s).value("event", ""), "state");
  EXPECT_EQ(stuck.wait_for([](const json& m) { return m.contains("ok"); }, 10s), ok(1));
  EXPECT_EQ(stuck.request({{"id", 2}, {"cmd", "state.get"}}, 10s), ok(2));
  EXPECT_FALSE(stuck.take_binary(1s).empty());
}

TEST_F(ControlTest, ThePanelMayShowThumbnailsFromBlobsAndNothingElseFromElsewhere) {
  start_show();
  const auto page = testing::http_get(port(), "/");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.header("content-security-policy"),
            "default-src 'self'; connect-src 'self'; img-src 'self' blob:; frame-ancestors "
            "'none'; base-uri 'none'; form-action 'self'");
}

TEST_F(ControlTest, StateAndMetricsCarryTheSwitchLatency) {
  start_show();
  auto client = connect_operator();
  const json latency = initial_state(*client)["programme"]["switch_latency"];
  for (const char* field : {"count", "last_ms", "p50_ms", "p99_ms", "max_ms"}) {
    EXPECT_TRUE(latency.contains(field) && latency[field].is_number()) << latency.dump();
  }
  const std::string text = metrics(port(), viewer_token);
  for (const char* line : {
           "# TYPE hallcast_switch_latency_seconds summary\n",
           "\nhallcast_switch_latency_seconds{quantile=\"0.5\"} ",
           "\nhallcast_switch_latency_seconds{quantile=\"0.99\"} ",
           "\nhallcast_switch_latency_seconds_count ",
           "# TYPE hallcast_switch_latency_seconds_max gauge\n",
           "\nhallcast_switch_latency_seconds_max ",
           "# TYPE hallcast_switch_latency_seconds_last gauge\n",
           "\nhallcast_switch_latency_seconds_last ",
           "# TYPE hallcast_control_multiview_clients gauge\n",
           "# TYPE hallcast_control_thumbnails_skipped_total counter\n",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << line << " in:\n" << text;
  }
}

TEST_F(ControlTest, SceneSwitchesAreTimed) {
  start_show();
  auto client = connect_operator();
  initial_state(*client);
  int id = 0;
  // The latency is known once the new picture has been encoded, a frame or a few
  // after the reply; each switch is waited for, so that none supersedes the other
  // before its picture is out.
  auto latency_after = [&](std::uint64_t switches) {
    json latency;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    do {
      std::this_thread::sleep_for(100ms);
      ++id;
      EXPECT_EQ(client->request({{"id", id}, {"cmd", "state.get"}}), ok(id));
      latency = client->wait_for([](const json& m) {
        return m.value("event", "") == "state";
      })["programme"]["switch_latency"];
    } while (latency.value("count", std::uint64_t{0}) < switches &&
             std::chrono::steady_clock::now() < deadline);
    return latency;
  };
  EXPECT_EQ(latency_after(0).value("count", -1), 0);
  ++id;
  EXPECT_EQ(client->request({{"id", id}, {"cmd", "scene.cut"}, {"scene", "close"}}), ok(id));
  EXPECT_EQ(latency_after(1).value("count", 0), 1);
  ++id;
  EXPECT_EQ(client->request({{"id", id}, {"cmd", "transition.take"}}), ok(id));
  const json latency = latency_after(2);
  ASSERT_EQ(latency.value("count", 0), 2) << latency.dump();
  const double last = latency["last_ms"], p50 = latency["p50_ms"], p99 = latency["p99_ms"],
               max = latency["max_ms"];
  EXPECT_GT(last, 0.0) << latency.dump();
  EXPECT_LT(max, 2000.0) << latency.dump();  // a switch at 30 fps is a frame or a few
  EXPECT_LE(p50, p99) << latency.dump();
  EXPECT_LE(p99, max) << latency.dump();
  EXPECT_LE(last, max) << latency.dump();

  const std::string text = metrics(port(), operator_token);
  EXPECT_NE(text.find("\nhallcast_switch_latency_seconds_count 2\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace hallcast::control
