// The secret parts of URLs: what the log and the operator see instead, and what the
// Redactor is given to scrub from every other text.
#include <gtest/gtest.h>

#include <algorithm>

#include "config/url_secrets.h"
#include "config_test_support.h"

namespace hallcast::config::test {
namespace {

using Secrets = std::vector<std::string>;

TEST(UrlSecrets, PasswordOfAnIpCamera) {
  const RedactedUrl url = redact_url("rtsp://admin:Pa55word@192.0.2.5:554/stream1");
  EXPECT_EQ(url.shown, "rtsp://admin:***@192.0.2.5:554/stream1");
  EXPECT_EQ(url.secrets, Secrets{"Pa55word"});
}

TEST(UrlSecrets, UserinfoWithoutAPasswordIsACredentialWhole) {
  const RedactedUrl url = redact_url("rtsp://c2VjcmV0dG9rZW4@cam.local/live");
  EXPECT_EQ(url.shown, "rtsp://***@cam.local/live");
  EXPECT_EQ(url.secrets, Secrets{"c2VjcmV0dG9rZW4"});
}

TEST(UrlSecrets, PercentEncodedSecretsAreKeptInBothForms) {
  const RedactedUrl url = redact_url("rtsp://admin:p%40ss%3Aword@cam/stream");
  EXPECT_EQ(url.shown, "rtsp://admin:***@cam/stream");
  EXPECT_EQ(url.secrets, (Secrets{"p%40ss%3Aword", "p@ss:word"}));
}

TEST(UrlSecrets, SrtPassphraseAndStreamId) {
  const RedactedUrl url = redact_url(
      "srt://ingest.example:9000?latency=200&passphrase=correcthorsebattery&mode=caller"
      "&streamid=live%2Fsk-77");
  EXPECT_EQ(url.shown,
            "srt://ingest.example:9000?latency=200&passphrase=***&mode=caller&streamid=***");
  EXPECT_EQ(url.secrets, (Secrets{"correcthorsebattery", "live%2Fsk-77", "live/sk-77"}));
}

TEST(UrlSecrets, SecretParameterNamesIgnoreCase) {
  const RedactedUrl url = redact_url("rtsp://cam/h264?User=admin&Password=hunter22&Token=abc123");
  EXPECT_EQ(url.shown, "rtsp://cam/h264?User=admin&Password=***&Token=***");
  EXPECT_EQ(url.secrets, (Secrets{"hunter22", "abc123"}));
}

TEST(UrlSecrets, KeyInAnRtmpPath) {
  const RedactedUrl url =
      redact_url("rtmp://a.rtmp.youtube.com/live2/abcd-efgh-ijkl", PathKey::yes);
  EXPECT_EQ(url.shown, "rtmp://a.rtmp.youtube.com/live2/***");
  EXPECT_EQ(url.secrets, Secrets{"abcd-efgh-ijkl"});
  // Trailing slashes do not hide it, and a query after it is part of the stream name.
  EXPECT_EQ(redact_url("rtmps://host:443/app/sk-1//", PathKey::yes).shown,
            "rtmps://host:443/app/***//");
  EXPECT_EQ(redact_url("rtmp://host/app/sk-2?x=1", PathKey::yes).shown, "rtmp://host/app/***");
  EXPECT_EQ(redact_url("rtmp://host/sk-3", PathKey::yes).shown, "rtmp://host/***");
  EXPECT_EQ(redact_url("rtmp://host/", PathKey::yes).secrets, Secrets{});
  EXPECT_EQ(redact_url("rtmp://host/app/sk-4").shown, "rtmp://host/app/sk-4");
}

TEST(UrlSecrets, EverythingAtOnce) {
  const RedactedUrl url =
      redact_url("rtmp://user:pw-123@host/app?token=t-456/sk-789", PathKey::yes);
  EXPECT_EQ(url.shown, "rtmp://user:***@host/app?token=***/***");
  EXPECT_EQ(url.secrets, (Secrets{"pw-123", "t-456", "sk-789"}));
}

TEST(UrlSecrets, UrlsWithoutSecretsAreShownAsWritten) {
  for (const std::string text :
       {"rtmp://ingest.example/live", "srt://:9000?latency=120", "test:video?pattern=ball",
        "file:///media/clip.mp4", "v4l2:///dev/video0", "pulse://", "not a url"}) {
    const RedactedUrl url = redact_url(text);
    EXPECT_EQ(url.shown, text);
    EXPECT_TRUE(url.secrets.empty()) << text;
  }
}

TEST(UrlSecrets, ShownFormsOfAConfig) {
  Json document = valid_document();
  document["sources"][1]["uri"] = "rtsp://admin:cam-pass-1@192.0.2.5/stream";
  document["outputs"][0].erase("key_env");
  document["outputs"][0]["url"] = "rtmp://ingest.example/live/sk-path-2";
  document["outputs"].push_back({{"id", "srt"},
                                 {"type", "srt"},
                                 {"url", "srt://127.0.0.1:9000?passphrase=srt-pass-phrase-3"}});
  const Config config = parse(document.dump(), environment());
  EXPECT_EQ(shown_uri(config.sources[1]), "rtsp://admin:***@192.0.2.5/stream");
  EXPECT_EQ(shown_uri(config.sources[0]), "test:video?pattern=ball");
  EXPECT_EQ(shown_url(config.outputs[0]), "rtmp://ingest.example/live/***");
  EXPECT_EQ(shown_url(config.outputs[2]), "srt://127.0.0.1:9000?passphrase=***");

  std::vector<std::string> found;
  for (const Secret& secret : secrets(config)) {
    found.push_back(secret.reveal());
  }
  for (const char* expected : {"cam-pass-1", "sk-path-2", "srt-pass-phrase-3"}) {
    EXPECT_NE(std::find(found.begin(), found.end(), expected), found.end()) << expected;
  }
}

TEST(UrlSecrets, TheUrlsLastSegmentIsNoSecretWhenTheKeyComesElsewhere) {
  Json document = valid_document();
  document["outputs"][0]["url"] = "rtmp://ingest.example/live/app2";
  const Config config = parse(document.dump(), environment());
  EXPECT_EQ(path_key(config.outputs[0]), PathKey::no);
  EXPECT_EQ(shown_url(config.outputs[0]), "rtmp://ingest.example/live/app2");
}

TEST(UrlSecrets, AnUnsafeCharacterInAPasswordIsNotNamed) {
  Json document = valid_document();
  document["sources"][1]["uri"] = "rtsp://admin:se!cret@192.0.2.5/stream";
  const auto problems = problems_of(document);
  EXPECT_TRUE(only_problem(problems, "sources[1].uri", "holds a character not allowed in a URL"));
  EXPECT_EQ(problems[0].message.find('!'), std::string::npos) << problems[0].message;
}

}  // namespace
}  // namespace hallcast::config::test
