// What load_file() refuses to read, and the nesting parse() refuses to follow: each a
// single problem at `$`, found at once, in bounded time and memory.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config_test_support.h"
#include "support/temp_dir.h"

namespace hallcast::config::test {
namespace {

std::vector<Problem> problems_of_file(const std::filesystem::path& file) {
  try {
    load_file(file);
  } catch (const ConfigError& error) {
    return error.problems();
  }
  return {};
}

TEST(FileLimits, AFifoIsRefusedWithoutWaitingForAWriter) {
  testing::TempDir dir("hallcast-config-fifo");
  const auto fifo = dir.path() / "config.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Without a writer a plain open() of a FIFO never returns: this test would hang.
  EXPECT_TRUE(only_problem(problems_of_file(fifo), "$", "a FIFO, not a file"));
}

TEST(FileLimits, ADeviceIsRefused) {
  EXPECT_TRUE(only_problem(problems_of_file("/dev/zero"), "$",
                           "cannot read \"/dev/zero\": a device, not a file"));
  EXPECT_TRUE(only_problem(problems_of_file("/dev/null"), "$", "a device, not a file"));
}

TEST(FileLimits, AFolderIsRefused) {
  testing::TempDir dir("hallcast-config-folder");
  EXPECT_TRUE(only_problem(problems_of_file(dir.path()), "$", "a folder, not a file"));
}

TEST(FileLimits, ASocketIsRefused) {
  testing::TempDir dir("hallcast-config-socket");
  const auto path = dir.path() / "config.json";
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  EXPECT_TRUE(only_problem(problems_of_file(path), "$", "a socket, not a file"));
  ::close(fd);
}

TEST(FileLimits, AFileOverOneMebibyteIsRefused) {
  testing::TempDir dir("hallcast-config-large");
  const auto file = dir.path() / "config.json";
  // Valid JSON, padded with white space past the limit.
  std::ofstream(file) << valid_document().dump() << std::string(1024 * 1024, ' ');
  EXPECT_TRUE(only_problem(problems_of_file(file), "$", "larger than 1 MiB"));
}

TEST(FileLimits, AFileJustUnderTheLimitIsRead) {
  testing::TempDir dir("hallcast-config-large");
  const auto file = dir.path() / "config.json";
  const std::string text = valid_document().dump();
  std::ofstream(file) << text << std::string(1024 * 1024 - text.size(), ' ');
  EXPECT_EQ(load_file(file).sources.size(), 5u);
}

TEST(FileLimits, ASymlinkToAFileIsRead) {
  testing::TempDir dir("hallcast-config-link");
  std::ofstream(dir.path() / "real.json") << valid_document().dump();
  std::filesystem::create_symlink(dir.path() / "real.json", dir.path() / "config.json");
  EXPECT_EQ(load_file(dir.path() / "config.json").sources.size(), 5u);
}

TEST(FileLimits, DeepNestingIsRefused) {
  // A million levels: quadratic work or a stack overflow if followed.
  const std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
  EXPECT_TRUE(only_problem(problems_of_text(deep), "$", "nested deeper than 32 levels"));
  std::string objects;
  for (int i = 0; i < 100000; ++i) {
    objects += "{\"a\":";
  }
  EXPECT_TRUE(only_problem(problems_of_text(objects), "$", "nested deeper than 32 levels"));
}

TEST(FileLimits, NestingUpToTheLimitIsJustAnUnknownKey) {
  Json document = valid_document();
  // The document is level 1; 31 more levels under it reach the limit exactly.
  Json nested = Json::array();
  for (int i = 0; i < 30; ++i) {
    nested = Json::array({nested});
  }
  document["extra"] = nested;
  EXPECT_TRUE(only_problem(problems_of(document), "extra", "unknown key"));
  document["extra"] = Json::array({nested});
  EXPECT_TRUE(only_problem(problems_of(document), "$", "nested deeper than 32 levels"));
}

}  // namespace
}  // namespace hallcast::config::test
