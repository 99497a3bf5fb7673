#include "engine/outputs/tagged_socket.h"

#include <dirent.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <cstdlib>
#include <memory>

namespace hallcast::engine {

namespace {

// 8 Gbit/s, and one more kbit/s for every tag; rtmp2sink takes up to G_MAXINT / 125.
constexpr std::uint32_t kFirstTagKbps = 8'000'000;
constexpr std::uint32_t kLastTagKbps = 2'147'483'647u / 125;

struct DirClose {
  void operator()(DIR* dir) const { closedir(dir); }
};

}  // namespace

std::uint32_t TaggedSocket::next_tag_kbps() {
  static std::atomic<std::uint32_t> next{0};
  return kFirstTagKbps + next.fetch_add(1) % (kLastTagKbps - kFirstTagKbps);
}

TaggedSocket::TaggedSocket(std::uint32_t tag_kbps) : tag_rate_(std::uint64_t{tag_kbps} * 125) {}

bool TaggedSocket::carries_tag(int fd) const {
  std::uint64_t rate = 0;  // the kernel writes 4 or 8 bytes, little-endian
  socklen_t length = sizeof rate;
  return getsockopt(fd, SOL_SOCKET, SO_MAX_PACING_RATE, &rate, &length) == 0 &&
         (length == 4 ? (rate & 0xffffffffu) : rate) == tag_rate_;
}

int TaggedSocket::find() const {
  std::unique_ptr<DIR, DirClose> dir(opendir("/proc/self/fd"));
  if (!dir) {
    return -1;  // no /proc (or no descriptor left to read it): no sensor this tick
  }
  const int own = dirfd(dir.get());
  while (const dirent* entry = readdir(dir.get())) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end != entry->d_name && *end == '\0' && fd != own && carries_tag(static_cast<int>(fd))) {
      return static_cast<int>(fd);
    }
  }
  return -1;
}

std::optional<TcpSample> TaggedSocket::sample() {
  if (fd_ < 0 || !carries_tag(fd_)) {
    fd_ = find();
    if (fd_ < 0) {
      return std::nullopt;
    }
  }
  tcp_info info{};
  socklen_t length = sizeof info;
  if (getsockopt(fd_, IPPROTO_TCP, TCP_INFO, &info, &length) != 0 || !carries_tag(fd_)) {
    fd_ = -1;
    return std::nullopt;
  }
  TcpSample sample;
  sample.at = std::chrono::steady_clock::now();
  sample.acked = info.tcpi_bytes_acked;
  sample.window = info.tcpi_snd_wnd;
  sample.unsent = info.tcpi_notsent_bytes;
  return sample;
}

}  // namespace hallcast::engine
