// The relay's statistics as nginx-rtmp writes them (rtmp_stat all), read into what a
// destination's state is judged by: each live stream of each application, its
// publisher, and its pushes with their addresses, stamps and drops.
#include <gtest/gtest.h>

#include "engine/relay/relay_stat.h"

namespace hallcast::engine {
namespace {

// nginx-rtmp 1.1.4's document (Debian 12), from a relay with the "en" upload pushed to
// one platform and "ru" published without a push yet.
constexpr const char* kStat = R"(<?xml version="1.0" encoding="utf-8" ?>
<rtmp>
<nginx_version>1.22.1</nginx_version>
<nginx_rtmp_version>1.1.4</nginx_rtmp_version>
<built>Feb 13 2023 11:56:56</built>
<pid>1087</pid>
<uptime>6</uptime>
<naccepted>2</naccepted>
<bw_in>0</bw_in>
<bytes_in>933718</bytes_in>
<bw_out>0</bw_out>
<bytes_out>761847</bytes_out>
<server>
<application>
<name>hall</name>
<live>
<stream>
<name>en</name>
<time>4555</time><bw_in>0</bw_in>
<bytes_in>918622</bytes_in>
<bw_out>0</bw_out>
<bytes_out>753737</bytes_out>
<bw_audio>0</bw_audio>
<bw_video>0</bw_video>
<client><id>2</id><address>127.0.0.1:19351/live/SECRETKEY-EN</address><time>4555</time><flashver>ngx-local-relay</flashver><dropped>3</dropped><avsync>14</avsync><timestamp>4614</timestamp><active/></client>
<client><id>1</id><address>127.0.0.1</address><time>4686</time><flashver>LNX 10,0,32,18</flashver><dropped>0</dropped><avsync>14</avsync><timestamp>4614</timestamp><publishing/><active/></client>
<meta><video><width>320</width><height>180</height><frame_rate>30</frame_rate><codec>H264</codec><profile></profile><compat>0</compat><level>1.3</level></video><audio><codec>AAC</codec><profile>LC</profile><channels>1</channels><sample_rate>44100</sample_rate></audio></meta>
<nclients>2</nclients>
<publishing/>
<active/>
</stream>
<stream>
<name>ru</name>
<time>100</time><bw_in>0</bw_in>
<bytes_in>15096</bytes_in>
<client><id>4</id><address>127.0.0.1</address><time>100</time><flashver>LNX 10,0,32,18</flashver><dropped>0</dropped><avsync>0</avsync><timestamp>0</timestamp><publishing/></client>
<nclients>1</nclients>
<publishing/>
</stream>
<nclients>3</nclients>
</live>
</application>
<application>
<name>other</name>
<live>
<nclients>0</nclients>
</live>
</application>
</server>
</rtmp>
)";

TEST(RelayStat, StreamsPublishersAndPushesAreRead) {
  std::string error;
  const auto stat = parse_rtmp_stat(kStat, error);
  ASSERT_TRUE(stat) << error;
  EXPECT_EQ(stat->bytes_in, 933718u);
  EXPECT_EQ(stat->bytes_out, 761847u);
  ASSERT_EQ(stat->streams.size(), 2u);

  const RelayStream* en = stat->find_stream("hall", "en");
  ASSERT_NE(en, nullptr);
  EXPECT_TRUE(en->publishing);
  EXPECT_EQ(en->bytes_in, 918622u);
  ASSERT_EQ(en->clients.size(), 2u);
  const RelayClient& push = en->clients[0];
  EXPECT_TRUE(push.is_push());
  EXPECT_EQ(push.address, "127.0.0.1:19351/live/SECRETKEY-EN");
  EXPECT_TRUE(push.active);
  EXPECT_FALSE(push.publishing);
  EXPECT_EQ(push.timestamp_ms, 4614u);
  EXPECT_EQ(push.dropped, 3u);
  const RelayClient& upload = en->clients[1];
  EXPECT_FALSE(upload.is_push());
  EXPECT_TRUE(upload.publishing);

  const RelayStream* ru = stat->find_stream("hall", "ru");
  ASSERT_NE(ru, nullptr);
  EXPECT_TRUE(ru->publishing);
  ASSERT_EQ(ru->clients.size(), 1u);
  EXPECT_FALSE(ru->clients[0].active);
  EXPECT_EQ(stat->find_stream("other", "en"), nullptr);
  EXPECT_EQ(stat->find_stream("hall", "de"), nullptr);
}

TEST(RelayStat, WhatIsNotTheStatisticsIsRefused) {
  for (const char* text : {"", "<html><body>502 Bad Gateway</body></html>", "<rtmp><server>",
                           "not xml at all", "<rtmp></html>"}) {
    std::string error;
    EXPECT_FALSE(parse_rtmp_stat(text, error)) << text;
    EXPECT_FALSE(error.empty()) << text;
  }
}

TEST(RelayStat, ARelayWithNothingPublishedHasNoStreams) {
  std::string error;
  const auto stat = parse_rtmp_stat(
      "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<rtmp><bytes_in>0</bytes_in><server>"
      "<application><name>hall</name><live><nclients>0</nclients></live></application>"
      "</server></rtmp>",
      error);
  ASSERT_TRUE(stat) << error;
  EXPECT_TRUE(stat->streams.empty());
}

}  // namespace
}  // namespace hallcast::engine
