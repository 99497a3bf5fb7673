// What the config takes from the machine at load: stream keys and control tokens from
// the variables it names (the only place hallcast reads them), the rule that a control
// port other machines can reach needs an operator token, and `file://` sources that
// are no files.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>

#include "config/url_secrets.h"
#include "config_test_support.h"
#include "support/temp_dir.h"

namespace hallcast::config::test {
namespace {

Config load(const Json& document, const Environment& env) {
  return parse(document.dump(), env);
}

TEST(Environment, StreamKeysComeFromTheirVariables) {
  Json document = valid_document();
  document["outputs"].push_back({{"id", "srt"},
                                 {"type", "srt"},
                                 {"url", "srt://127.0.0.1:9000"},
                                 {"key_env", "HALLCAST_KEY_SRT"}});
  const Config config =
      load(document, environment({{"HALLCAST_KEY_VK", "sk-vk-1"}, {"HALLCAST_KEY_SRT", "sk-s-2"}}));
  EXPECT_EQ(config.outputs[0].key.reveal(), "sk-vk-1");
  EXPECT_EQ(config.outputs[2].key.reveal(), "sk-s-2");
  EXPECT_TRUE(config.outputs[1].key.empty());
}

TEST(Environment, AnUnsetKeyVariableLeavesTheOutputWithoutAKey) {
  // Not a problem: the output stays idle and says why (run and check agree on that).
  const Config config = load(valid_document(), environment());
  EXPECT_TRUE(config.outputs[0].key.empty());
  EXPECT_EQ(config.outputs[0].key_env, "HALLCAST_KEY_VK");
}

TEST(Environment, AKeyWrittenInTheFileStays) {
  Json document = valid_document();
  document["outputs"][0].erase("key_env");
  document["outputs"][0]["key"] = "sk-file-3";
  const Config config = load(document, environment({{"HALLCAST_KEY_VK", "sk-other"}}));
  EXPECT_EQ(config.outputs[0].key.reveal(), "sk-file-3");
}

TEST(Environment, TokensComeFromTheirVariables) {
  Json document = valid_document();
  document["control"]["viewer_token_env"] = "HALLCAST_VIEWER";
  const Config config =
      load(document, environment({{"HALLCAST_TOKEN", "tok-op"}, {"HALLCAST_VIEWER", "tok-view"}}));
  EXPECT_EQ(config.control.operator_token.reveal(), "tok-op");
  EXPECT_EQ(config.control.viewer_token.reveal(), "tok-view");
  const Config without = load(document, environment());
  EXPECT_TRUE(without.control.operator_token.empty());
  EXPECT_TRUE(without.control.viewer_token.empty());
}

TEST(Environment, TheProcessEnvironmentIsTheDefault) {
  ::setenv("HALLCAST_TEST_ENV_KEY", "sk-process-4", 1);
  Json document = valid_document();
  document["outputs"][0]["key_env"] = "HALLCAST_TEST_ENV_KEY";
  const Config config = parse(document.dump());
  ::unsetenv("HALLCAST_TEST_ENV_KEY");
  EXPECT_EQ(config.outputs[0].key.reveal(), "sk-process-4");
}

TEST(Environment, ListeningBeyondLoopbackNeedsAnOperatorToken) {
  for (const std::string listen : {"0.0.0.0:8080", "[::]:8080", "192.0.2.10:8080",
                                   "studio-pc.local:8080", "[2001:db8::1]:8080"}) {
    SCOPED_TRACE(listen);
    Json document = valid_document();
    document["control"]["listen"] = listen;
    EXPECT_TRUE(only_problem(problems_of(document), "control.listen",
                             "needs an operator token: set the variable HALLCAST_TOKEN"));
    // An empty variable is no token either.
    EXPECT_TRUE(only_problem(problems_of(document, environment({{"HALLCAST_TOKEN", ""}})),
                             "control.listen", "needs an operator token"));
    EXPECT_TRUE(problems_of(document, environment({{"HALLCAST_TOKEN", "tok-1a2b3c"}})).empty());
  }
}

TEST(Environment, LoopbackNeedsNoToken) {
  for (const std::string listen :
       {"127.0.0.1:8080", "127.1.2.3:8080", "[::1]:8080", "localhost:8080"}) {
    Json document = valid_document();
    document["control"]["listen"] = listen;
    EXPECT_TRUE(problems_of(document).empty()) << listen << listing(problems_of(document));
  }
}

TEST(Environment, TheTokenRuleNamesTheConfiguredVariable) {
  Json document = valid_document();
  document["control"]["listen"] = "0.0.0.0:8080";
  document["control"]["token_env"] = "HALL_OPERATOR";
  EXPECT_TRUE(only_problem(problems_of(document, environment({{"HALLCAST_TOKEN", "tok-x"}})),
                           "control.listen", "set the variable HALL_OPERATOR"));
  // A bad variable name is the one problem: the rule cannot be judged without it.
  document["control"]["token_env"] = "bad name";
  EXPECT_TRUE(
      only_problem(problems_of(document), "control.token_env", "not an environment variable name"));
}

TEST(Environment, TheObsWebsocketPasswordComesFromItsVariable) {
  Json document = valid_document();
  document["control"]["obs_websocket"] = {{"listen", "127.0.0.1:4455"},
                                          {"password_env", "HALLCAST_OBS"}};
  const Config config = load(document, environment({{"HALLCAST_OBS", "obs-pw-1"}}));
  EXPECT_EQ(config.control.obs_websocket->password.reveal(), "obs-pw-1");
  EXPECT_TRUE(load(document, environment()).control.obs_websocket->password.empty());
}

TEST(Environment, AReachableObsWebsocketListenerNeedsAPassword) {
  Json document = valid_document();
  document["control"]["obs_websocket"] = {{"listen", "0.0.0.0:4455"},
                                          {"password_env", "HALLCAST_OBS"}};
  EXPECT_TRUE(only_problem(problems_of(document, environment({{"HALLCAST_TOKEN", "tok-2"}})),
                           "control.obs_websocket.listen",
                           "needs a password: set the variable HALLCAST_OBS"));
  EXPECT_TRUE(problems_of(document,
                          environment({{"HALLCAST_TOKEN", "tok-2"}, {"HALLCAST_OBS", "obs-pw-3"}}))
                  .empty());
}

TEST(Environment, ProblemsOfTheFileAndOfTheMachineComeTogether) {
  Json document = valid_document();
  document["control"]["listen"] = "0.0.0.0:8080";
  document["video"]["fps"] = 0;
  const auto problems = problems_of(document);
  EXPECT_TRUE(has_problem(problems, "video.fps", "must be 1..120"));
  EXPECT_TRUE(has_problem(problems, "control.listen", "needs an operator token"));
}

TEST(Environment, NoSecretFromTheEnvironmentIsInAProblem) {
  Json document = valid_document();
  document["control"]["listen"] = "0.0.0.0:8080";
  document["control"]["viewer_token_env"] = "HALLCAST_VIEWER";
  document["outputs"][0]["language"] = "de";
  try {
    parse(document.dump(),
          environment({{"HALLCAST_KEY_VK", "sk-vk-secret-5"}, {"HALLCAST_VIEWER", "tok-view-6"}}));
    FAIL() << "accepted";
  } catch (const ConfigError& error) {
    const std::string said = error.what();
    EXPECT_EQ(said.find("sk-vk-secret-5"), std::string::npos) << said;
    EXPECT_EQ(said.find("tok-view-6"), std::string::npos) << said;
  }
}

TEST(Environment, SecretsListsEveryKeyAndToken) {
  Json document = valid_document();
  document["control"]["viewer_token_env"] = "HALLCAST_VIEWER";
  document["control"]["obs_websocket"] = {{"listen", "127.0.0.1:4455"},
                                          {"password_env", "HALLCAST_OBS"}};
  const Config config = load(document, environment({{"HALLCAST_KEY_VK", "sk-vk-7"},
                                                    {"HALLCAST_TOKEN", "tok-op-8"},
                                                    {"HALLCAST_VIEWER", "tok-view-9"},
                                                    {"HALLCAST_OBS", "obs-pw-10"}}));
  std::vector<std::string> found;
  for (const Secret& secret : secrets(config)) {
    found.push_back(secret.reveal());
  }
  for (const char* expected : {"sk-vk-7", "tok-op-8", "tok-view-9", "obs-pw-10"}) {
    EXPECT_NE(std::find(found.begin(), found.end(), expected), found.end()) << expected;
  }
}

Json with_file_source(const std::filesystem::path& path) {
  Json document = valid_document();
  document["sources"][1]["uri"] = "file://" + path.string();
  return document;
}

TEST(Environment, AFileSourceThatIsAFifoIsRefused) {
  testing::TempDir dir("hallcast-config-file-source");
  const auto fifo = dir.path() / "clip.mp4";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_TRUE(only_problem(problems_of(with_file_source(fifo)), "sources[1].uri",
                           "is a FIFO, not a media file"));
}

TEST(Environment, AFileSourceThatIsAFolderOrADeviceIsRefused) {
  testing::TempDir dir("hallcast-config-file-source");
  std::filesystem::create_directory(dir.path() / "clip.mp4");
  EXPECT_TRUE(only_problem(problems_of(with_file_source(dir.path() / "clip.mp4")), "sources[1].uri",
                           "is a folder, not a media file"));
  EXPECT_TRUE(only_problem(problems_of(with_file_source("/dev/zero")), "sources[1].uri",
                           "is a device, not a media file"));
}

TEST(Environment, AFileSourceThatIsMissingOrAFileIsAccepted) {
  // A clip copied in before the show: its source retries until then.
  EXPECT_TRUE(problems_of(with_file_source("/nonexistent/clip.mp4")).empty());
  testing::TempDir dir("hallcast-config-file-source");
  std::ofstream(dir.path() / "clip.mp4") << "not really a clip";
  EXPECT_TRUE(problems_of(with_file_source(dir.path() / "clip.mp4")).empty());
}

}  // namespace
}  // namespace hallcast::config::test
