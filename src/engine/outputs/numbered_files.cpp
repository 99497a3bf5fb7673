#include "engine/outputs/numbered_files.h"

#include <cstdio>

namespace hallcast::engine {

namespace {

std::uint64_t size_of(const std::filesystem::path& file) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  return ec ? 0 : size;
}

bool file_exists(const std::filesystem::path& file) {
  std::error_code ec;
  return std::filesystem::exists(file, ec);
}

}  // namespace

NumberedFiles::NumberedFiles(std::filesystem::path prefix, int digits, std::string suffix,
                             int first)
    : prefix_(std::move(prefix)),
      digits_(digits),
      suffix_(std::move(suffix)),
      first_(first),
      current_(first) {}

std::filesystem::path NumberedFiles::name(int number) const {
  if (digits_ == 0) {
    return prefix_.string() + suffix_;
  }
  char digits[16];
  std::snprintf(digits, sizeof digits, "%0*d", digits_, number);
  return prefix_.string() + digits + suffix_;
}

std::uint64_t NumberedFiles::bytes() {
  if (digits_ != 0) {
    while (file_exists(name(current_ + 1))) {
      finished_ += size_of(name(current_));
      ++current_;
    }
  }
  return finished_ + size_of(name(current_));
}

int NumberedFiles::remove_empty() {
  bytes();  // up to the last file there is
  int removed = 0;
  const int last = digits_ == 0 ? first_ : current_ + 1;
  for (int number = first_; number <= last; ++number) {
    const auto file = name(number);
    std::error_code ec;
    if (std::filesystem::is_regular_file(file, ec) && size_of(file) == 0 &&
        std::filesystem::remove(file, ec)) {
      ++removed;
    }
  }
  return removed;
}

}  // namespace hallcast::engine
