#include "config/wall_time.h"

#include <cstdio>
#include <cstdlib>

namespace hallcast::config {

std::optional<std::chrono::milliseconds> parse_offset(std::string_view text) {
  if (text.size() < 3 || (text[0] != '+' && text[0] != '-')) {
    return std::nullopt;
  }
  const bool negative = text[0] == '-';
  std::size_t at = 1;
  double total_ms = 0;
  int last_rank = 3;  // h = 2, m = 1, s = 0: each part smaller than the one before
  while (at < text.size()) {
    const std::size_t start = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      ++at;
    }
    if (at == start) {
      return std::nullopt;
    }
    if (at < text.size() && text[at] == '.') {
      ++at;
      const std::size_t fraction = at;
      while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
        ++at;
      }
      if (at == fraction) {
        return std::nullopt;
      }
    }
    if (at >= text.size() || at - start > 12) {
      return std::nullopt;
    }
    const double number = std::strtod(std::string(text.substr(start, at - start)).c_str(), nullptr);
    int rank = 0;
    double unit_ms = 0;
    switch (text[at]) {
      case 'h':
        rank = 2;
        unit_ms = 3'600'000;
        break;
      case 'm':
        rank = 1;
        unit_ms = 60'000;
        break;
      case 's':
        rank = 0;
        unit_ms = 1000;
        break;
      default:
        return std::nullopt;
    }
    if (rank >= last_rank) {
      return std::nullopt;
    }
    last_rank = rank;
    total_ms += number * unit_ms;
    ++at;
  }
  // A year is more than any show needs; past it the number is surely a mistake.
  if (total_ms > 366.0 * 24 * 3'600'000) {
    return std::nullopt;
  }
  const auto ms = std::chrono::milliseconds(static_cast<long long>(total_ms + 0.5));
  return negative ? -ms : ms;
}

std::string format_offset(std::chrono::milliseconds offset) {
  const bool negative = offset.count() < 0;
  long long ms = negative ? -offset.count() : offset.count();
  std::string out(1, negative ? '-' : '+');
  const long long h = ms / 3'600'000;
  const long long m = ms / 60'000 % 60;
  const long long s = ms / 1000 % 60;
  const long long rest = ms % 1000;
  if (h > 0) {
    out += std::to_string(h) + "h";
  }
  if (m > 0) {
    out += std::to_string(m) + "m";
  }
  if (s > 0 || rest > 0 || (h == 0 && m == 0)) {
    out += std::to_string(s);
    if (rest > 0) {
      char fraction[8];
      std::snprintf(fraction, sizeof fraction, ".%03lld", rest);
      std::string f(fraction);
      while (f.back() == '0') {
        f.pop_back();
      }
      out += f;
    }
    out += "s";
  }
  return out;
}

}  // namespace hallcast::config
