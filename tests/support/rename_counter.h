// Counts how many times a file was renamed into place in a folder (inotify): each is
// one complete atomic write of it, seen from outside the program that wrote it.
#pragma once

#include <filesystem>
#include <string>

namespace hallcast::testing {

class RenameCounter {
 public:
  // Starts counting renames onto `folder`/`name` from now on. Throws
  // std::runtime_error when the folder cannot be watched.
  RenameCounter(const std::filesystem::path& folder, std::string name);
  ~RenameCounter();
  RenameCounter(const RenameCounter&) = delete;
  RenameCounter& operator=(const RenameCounter&) = delete;

  // Renames seen so far.
  int count();

 private:
  int fd_ = -1;
  std::string name_;
  int count_ = 0;
};

}  // namespace hallcast::testing
