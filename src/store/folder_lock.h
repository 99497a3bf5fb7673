// One hallcast per show: a folder it writes into (the state folder, a recording or HLS
// folder) is locked with flock(2) on a lock file in it, held for as long as hallcast
// runs. The kernel lets go of it when the process ends however it ends (even SIGKILL),
// so a lock is never stale; a second hallcast finds it held and touches nothing.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace hallcast::store {

// The lock file's name, in every locked folder. A dot file: the HLS folder's web
// server never hands it out.
inline constexpr const char* kLockFileName = ".hallcast.lock";

// The folder could not be locked. `held()` when another process holds it.
class LockError : public std::runtime_error {
 public:
  LockError(const std::string& message, bool held) : std::runtime_error(message), held_(held) {}
  bool held() const { return held_; }

 private:
  bool held_;
};

class FolderLock {
 public:
  // Creates `folder` if need be and locks it without waiting; writes this process's id
  // into the lock file for whoever finds it held. Throws LockError.
  explicit FolderLock(const std::filesystem::path& folder);
  ~FolderLock();
  FolderLock(FolderLock&& other) noexcept;
  FolderLock& operator=(FolderLock&& other) noexcept;
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

  const std::filesystem::path& folder() const { return folder_; }

 private:
  std::filesystem::path folder_;
  int fd_ = -1;
};

// `folders` with each folder once (the same folder named twice, or by two paths, counts
// once: a second flock on it from this very process would fail), in order.
std::vector<std::filesystem::path> distinct_folders(
    const std::vector<std::filesystem::path>& folders);

}  // namespace hallcast::store
