#include "store/folder_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <string>
#include <system_error>
#include <utility>

namespace hallcast::store {

namespace {

std::string error_text(int error) {
  return std::generic_category().message(error);
}

// The process id written by the holder, or "" when the file says nothing usable.
std::string holder_of(int fd) {
  char text[32] = {};
  const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
  if (n <= 0) {
    return {};
  }
  std::string pid(text, static_cast<std::size_t>(n));
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) {
    pid.pop_back();
  }
  const bool digits = !pid.empty() && pid.find_first_not_of("0123456789") == std::string::npos;
  return digits ? pid : std::string();
}

}  // namespace

FolderLock::FolderLock(const std::filesystem::path& folder) : folder_(folder) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) {
    throw LockError("cannot create folder " + folder.string() + ": " + ec.message(), false);
  }
  const auto file = folder / kLockFileName;
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw LockError("cannot open " + file.string() + ": " + error_text(errno), false);
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string holder = error == EWOULDBLOCK ? holder_of(fd_) : std::string();
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK) {
      throw LockError("folder " + folder.string() + " is in use by another hallcast" +
                          (holder.empty() ? std::string() : " (process " + holder + ")"),
                      true);
    }
    throw LockError("cannot lock " + file.string() + ": " + error_text(error), false);
  }
  // Only the holder writes here, so nobody reads a half-written id.
  const std::string pid = std::to_string(::getpid()) + "\n";
  // Should this fail, the lock holds all the same; only the holder's id goes unsaid.
  const bool noted = ::ftruncate(fd_, 0) == 0 &&
                     ::pwrite(fd_, pid.data(), pid.size(), 0) == static_cast<ssize_t>(pid.size());
  static_cast<void>(noted);
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) {
    ::close(fd_);  // releases the lock
  }
}

FolderLock::FolderLock(FolderLock&& other) noexcept
    : folder_(std::move(other.folder_)), fd_(std::exchange(other.fd_, -1)) {}

FolderLock& FolderLock::operator=(FolderLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    folder_ = std::move(other.folder_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

std::vector<std::filesystem::path> distinct_folders(
    const std::vector<std::filesystem::path>& folders) {
  std::vector<std::filesystem::path> distinct;
  std::set<std::filesystem::path> seen;
  for (const auto& folder : folders) {
    std::error_code ec;
    auto key = std::filesystem::weakly_canonical(std::filesystem::absolute(folder), ec);
    if (ec) {
      key = std::filesystem::absolute(folder).lexically_normal();
    }
    if (!key.has_filename()) {
      key = key.parent_path();  // "a/" is "a"
    }
    if (seen.insert(key).second) {
      distinct.push_back(folder);
    }
  }
  return distinct;
}

}  // namespace hallcast::store
