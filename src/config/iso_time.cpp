#include "config/iso_time.h"

#include <charconv>

namespace hallcast::config {

namespace {

// Reads exactly `digits` decimal digits at `at`, moving past them.
std::optional<int> number(std::string_view text, std::size_t& at, std::size_t digits) {
  if (at + digits > text.size()) {
    return std::nullopt;
  }
  int value = 0;
  for (std::size_t i = at; i < at + digits; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return std::nullopt;
    }
    value = value * 10 + (text[i] - '0');
  }
  at += digits;
  return value;
}

bool expect(std::string_view text, std::size_t& at, char c) {
  if (at >= text.size() || text[at] != c) {
    return false;
  }
  ++at;
  return true;
}

}  // namespace

std::optional<std::chrono::sys_time<std::chrono::milliseconds>> parse_iso_time(
    std::string_view text) {
  using namespace std::chrono;
  std::size_t at = 0;
  const auto year = number(text, at, 4);
  if (!year || !expect(text, at, '-')) {
    return std::nullopt;
  }
  const auto month = number(text, at, 2);
  if (!month || !expect(text, at, '-')) {
    return std::nullopt;
  }
  const auto day = number(text, at, 2);
  if (!day || !expect(text, at, 'T')) {
    return std::nullopt;
  }
  const auto hour = number(text, at, 2);
  if (!hour || !expect(text, at, ':')) {
    return std::nullopt;
  }
  const auto minute = number(text, at, 2);
  if (!minute || !expect(text, at, ':')) {
    return std::nullopt;
  }
  const auto second = number(text, at, 2);
  if (!second) {
    return std::nullopt;
  }
  int millis = 0;
  if (at < text.size() && text[at] == '.') {
    ++at;
    const std::size_t first = at;
    for (int scale = 100; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at) {
      millis += (text[at] - '0') * scale;
      scale /= 10;
    }
    if (at == first) {
      return std::nullopt;
    }
  }
  minutes offset{0};
  if (expect(text, at, 'Z')) {
    // UTC
  } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    const int sign = text[at++] == '-' ? -1 : 1;
    const auto offset_hours = number(text, at, 2);
    if (!offset_hours || !expect(text, at, ':')) {
      return std::nullopt;
    }
    const auto offset_minutes = number(text, at, 2);
    if (!offset_minutes || *offset_hours > 23 || *offset_minutes > 59) {
      return std::nullopt;
    }
    offset = minutes(sign * (*offset_hours * 60 + *offset_minutes));
  } else {
    return std::nullopt;
  }
  const year_month_day date{std::chrono::year(*year), std::chrono::month(unsigned(*month)),
                            std::chrono::day(unsigned(*day))};
  if (at != text.size() || !date.ok() || *hour > 23 || *minute > 59 || *second > 59) {
    return std::nullopt;
  }
  return sys_days(date) + hours(*hour) + minutes(*minute) + seconds(*second) +
         milliseconds(millis) - offset;
}

}  // namespace hallcast::config
