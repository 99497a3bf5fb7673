// RAII scratch folders for tests (see temp_dir.h).
#include "support/temp_dir.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace hallcast::testing {

bool keep_test_files() {
  const char* value = std::getenv("HALLCAST_KEEP_TEST_FILES");
  return value != nullptr && *value != '\0';
}

TempDir::TempDir(std::string_view prefix) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
  // mkdtemp needs a writable buffer it can fill in.
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  }
  path_ = buffer.data();
}

TempDir::~TempDir() {
  remove();
}

TempDir::TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) {
  other.path_.clear();
}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

void TempDir::remove() {
  if (path_.empty()) {
    return;
  }
  if (keep_test_files()) {
    std::cerr << "[hallcast test] kept " << path_.string() << "\n";
  } else {
    // A destructor must not throw; a folder we cannot remove is only litter in /tmp.
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  path_.clear();
}

}  // namespace hallcast::testing
