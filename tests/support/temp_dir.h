// A scratch folder for one test: created fresh, removed with everything in it when the
// owner goes away, so a failing test leaves nothing behind. Set HALLCAST_KEEP_TEST_FILES
// to keep the folders for a post-mortem (their paths are printed).
#pragma once

#include <filesystem>
#include <string_view>

namespace hallcast::testing {

class TempDir {
 public:
  // Creates `<system temp>/<prefix>-XXXXXX`, readable by its owner only.
  explicit TempDir(std::string_view prefix = "hallcast-test");
  ~TempDir();

  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  void remove();

  std::filesystem::path path_;
};

// True when HALLCAST_KEEP_TEST_FILES is set: temp folders and logs stay for inspection.
bool keep_test_files();

}  // namespace hallcast::testing
