// The entry points: config text or file → validated Config, or ConfigError.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <system_error>

#include "config/config.h"
#include "config/json_text.h"
#include "config/machine.h"
#include "config/read.h"
#include "config/validate.h"

namespace hallcast::config {
namespace {

// A real show's config is tens of kilobytes; anything near this is not one, and
// reading it whole into memory must stay cheap.
constexpr std::size_t kMaxFileBytes = 1024 * 1024;

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

[[noreturn]] void refuse(const std::filesystem::path& file, const std::string& why) {
  throw ConfigError({Problem{"$", "cannot read " + quote(file.string()) + ": " + why}});
}

std::string file_kind(mode_t mode) {
  if (S_ISDIR(mode)) {
    return "a folder";
  }
  if (S_ISFIFO(mode)) {
    return "a FIFO";
  }
  if (S_ISCHR(mode) || S_ISBLK(mode)) {
    return "a device";
  }
  if (S_ISSOCK(mode)) {
    return "a socket";
  }
  return "not a regular file";
}

std::string too_large() {
  return "larger than " + std::to_string(kMaxFileBytes / (1024 * 1024)) +
         " MiB; a config is far smaller";
}

// Only a regular file, and only up to kMaxFileBytes: a FIFO would block the read
// forever and a device such as /dev/zero never ends.
std::string read_regular_file(const std::filesystem::path& file) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer. It
  // changes nothing for a regular file.
  const FileDescriptor fd(::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (fd.get() < 0) {
    const int error = errno;
    // A socket cannot be opened at all (ENXIO): say what it is rather than why.
    struct stat info {};
    if (::stat(file.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
      refuse(file, file_kind(info.st_mode) + ", not a file");
    }
    refuse(file, std::generic_category().message(error));
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) {
    refuse(file, std::generic_category().message(errno));
  }
  if (!S_ISREG(info.st_mode)) {
    refuse(file, file_kind(info.st_mode) + ", not a file");
  }
  if (static_cast<std::uintmax_t>(info.st_size) > kMaxFileBytes) {
    refuse(file, too_large());
  }
  // The size is read again as it comes: the file may grow after fstat.
  std::string text;
  char buffer[16384];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      refuse(file, std::generic_category().message(errno));
    }
    if (n == 0) {
      return text;
    }
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > kMaxFileBytes) {
      refuse(file, too_large());
    }
  }
}

}  // namespace

Config parse(std::string_view json_text, const Environment& environment) {
  Problems problems;
  const std::optional<Json> document = parse_json_text(json_text, problems);
  if (!document) {
    throw ConfigError(problems.take());
  }
  Config config = read_config(*document, problems);
  problems.finish_reading();
  validate(config, problems);
  // After the rules on the file itself: a key written in the file and one named by
  // key_env are told apart only before the environment fills in the second.
  take_from_machine(config, environment, problems);
  if (!problems.empty()) {
    throw ConfigError(problems.take());
  }
  return config;
}

Config load_file(const std::filesystem::path& file, const Environment& environment) {
  return parse(read_regular_file(file), environment);
}

}  // namespace hallcast::config
