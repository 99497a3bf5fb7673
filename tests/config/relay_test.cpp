// relay: each language uploaded once to an nginx-rtmp relay, which pushes it on to the
// platforms. Its URLs end up in nginx's configuration as well as in hallcast's
// connections: what nginx could not take is refused at its path, and the plan the
// engine and `hallcast deploy relay-nginx` share says where each push goes.
#include <gtest/gtest.h>

#include "config/relay_plan.h"
#include "config_test_support.h"

namespace hallcast::config::test {
namespace {

Json with_relay(const Json& relay) {
  Json document = valid_document();
  document["relay"] = relay;
  return document;
}

TEST(Relay, AbsentByDefault) {
  EXPECT_FALSE(parse(valid_document().dump(), environment()).relay);
}

TEST(Relay, UrlAndStatUrlAreRead) {
  const Config config = parse(with_relay({{"url", "rtmp://relay.example:1935/hall"},
                                          {"stat_url", "http://relay.example:8081/hallcast/stat"}})
                                  .dump(),
                              environment());
  ASSERT_TRUE(config.relay);
  EXPECT_EQ(relay_application(*config.relay), "hall");
  EXPECT_EQ(relay_upload_url(*config.relay, "en"), "rtmp://relay.example:1935/hall/en");
  EXPECT_EQ(relay_stat_location(*config.relay).url(), "http://relay.example:8081/hallcast/stat");
}

TEST(Relay, TheStatisticsDefaultToTheNextPort) {
  const Config config = parse(with_relay({{"url", "rtmp://10.0.0.5/hall"}}).dump(), environment());
  EXPECT_EQ(relay_stat_location(*config.relay).url(), "http://10.0.0.5:1936/stat");
  const Config v6 = parse(with_relay({{"url", "rtmp://[::1]:19350/hall/"}}).dump(), environment());
  EXPECT_EQ(relay_stat_location(*v6.relay).url(), "http://[::1]:19351/stat");
  EXPECT_EQ(relay_upload_url(*v6.relay, "ru"), "rtmp://[::1]:19350/hall/ru");
}

TEST(Relay, BadUrlsAreRefusedAtTheirPaths) {
  for (const char* bad :
       {"rtmps://relay.example/hall", "http://relay.example/hall", "rtmp://relay.example",
        "rtmp://relay.example/", "rtmp://relay.example/a/b", "rtmp://relay.example/hall?x=1",
        "rtmp://user:pw@relay.example/hall", "rtmp:///hall", "rtmp://relay.example/ha ll",
        "relay.example/hall", "rtmp://relay.example/hall;"}) {
    EXPECT_TRUE(only_problem(problems_of(with_relay({{"url", bad}})), "relay.url", ""))
        << bad << listing(problems_of(with_relay({{"url", bad}})));
  }
  for (const char* bad : {"https://relay.example:8081/stat", "http://relay.example/stat",
                          "http://relay.example:8081", "http://relay.example:8081/st at",
                          "http://relay.example:8081/stat?x", "http://relay.example:8081/$x"}) {
    const auto problems =
        problems_of(with_relay({{"url", "rtmp://relay.example/hall"}, {"stat_url", bad}}));
    EXPECT_TRUE(only_problem(problems, "relay.stat_url", "")) << bad << listing(problems);
  }
}

TEST(Relay, MissingUrlUnknownKeysAndWrongTypes) {
  EXPECT_TRUE(only_problem(problems_of(with_relay(Json::object())), "relay.url", "required"));
  EXPECT_TRUE(
      only_problem(problems_of(with_relay({{"url", "rtmp://relay.example/hall"}, {"urls", "x"}})),
                   "relay.urls", "unknown"));
  EXPECT_TRUE(
      only_problem(problems_of(with_relay("rtmp://relay.example/hall")), "relay", "object"));
  EXPECT_TRUE(only_problem(problems_of(with_relay({{"url", 1935}})), "relay.url", "string"));
}

TEST(Relay, ThePortsAfterTheStatisticsMustExist) {
  Json document = with_relay({{"url", "rtmp://relay.example:65535/hall"}});
  EXPECT_TRUE(only_problem(problems_of(document), "relay.url", "ports"));
  document["relay"]["stat_url"] = "http://relay.example:65535/stat";
  EXPECT_TRUE(problems_of(document).empty()) << listing(problems_of(document));
  document["outputs"][0]["url"] = "rtmps://dc4-1.rtmp.t.me/s";
  EXPECT_TRUE(only_problem(problems_of(document), "relay.stat_url", "ports"));
}

// Each RTMP destination with its key: pushed from its language's upload, plain RTMP
// straight to the platform, RTMPS through a tunnel on the ports after the statistics'.
TEST(Relay, ThePlanPushesEachKeyedDestinationFromItsLanguage) {
  Json document = with_relay(
      {{"url", "rtmp://relay.example:1935/hall"}, {"stat_url", "http://127.0.0.1:9000/stat"}});
  document["outputs"] = Json::parse(R"([
    { "id": "vk", "type": "rtmp", "url": "rtmp://ingest.example/live",
      "key_env": "HALLCAST_KEY_VK", "language": "ru" },
    { "id": "rec", "type": "record", "path": "recordings" },
    { "id": "tg", "type": "rtmp", "url": "rtmps://dc4-1.rtmp.t.me/s",
      "key_env": "HALLCAST_KEY_TG", "language": "ru" },
    { "id": "x", "type": "rtmp", "url": "rtmps://va.pscp.tv:443/x",
      "key_env": "HALLCAST_KEY_X", "language": "en" },
    { "id": "site", "type": "rtmp", "url": "rtmp://live.example.org:1940/app/inline-key",
      "language": "en" },
    { "id": "dzen", "type": "rtmp", "url": "rtmp://vsu.mycdn.me/input",
      "key_env": "HALLCAST_KEY_DZEN", "language": "ru" } ])");
  const Config config = parse(document.dump(), environment({{"HALLCAST_KEY_VK", "vk-key"},
                                                            {"HALLCAST_KEY_TG", "1234:abcd/ef"},
                                                            {"HALLCAST_KEY_X", "x-key"}}));
  const auto pushes = relay_pushes(config);
  ASSERT_EQ(pushes.size(), 4u);
  EXPECT_EQ(pushes[0].id, "vk");
  EXPECT_EQ(pushes[0].language, "ru");
  EXPECT_EQ(pushes[0].tunnel_port, 0);
  EXPECT_EQ(pushes[0].push_url(), "rtmp://ingest.example:1935/live/vk-key");
  EXPECT_EQ(pushes[0].stat_address(), "ingest.example:1935/live/vk-key");
  EXPECT_EQ(pushes[1].id, "tg");
  EXPECT_EQ(pushes[1].tunnel_port, 9001);
  EXPECT_EQ(pushes[1].push_url(), "rtmp://127.0.0.1:9001/s/1234:abcd/ef");
  EXPECT_EQ(pushes[1].target.public_url(), "rtmps://dc4-1.rtmp.t.me:443/s");
  EXPECT_EQ(pushes[2].id, "x");
  EXPECT_EQ(pushes[2].tunnel_port, 9002);
  EXPECT_EQ(pushes[3].id, "site");
  EXPECT_EQ(pushes[3].language, "en");
  EXPECT_EQ(pushes[3].push_url(), "rtmp://live.example.org:1940/app/inline-key");
  // dzen's key variable is unset: not pushed, and said so.
  EXPECT_EQ(relay_unkeyed_outputs(config), std::vector<std::size_t>{5});
}

}  // namespace
}  // namespace hallcast::config::test
