#include "config/iso_time.h"

#include <cstdio>
#include <cstdlib>

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

std::optional<ZonedTime> parse_zoned_time(std::string_view text) {
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
  const WallTime moment = sys_days(date) + hours(*hour) + minutes(*minute) + seconds(*second) +
                          milliseconds(millis) - offset;
  return ZonedTime{moment, static_cast<int>(offset.count())};
}

std::optional<WallTime> parse_iso_time(std::string_view text) {
  const auto zoned = parse_zoned_time(text);
  return zoned ? std::optional(zoned->time) : std::nullopt;
}

std::string format_iso_time(WallTime time, int utc_offset_min) {
  using namespace std::chrono;
  const WallTime local = time + minutes(utc_offset_min);
  const sys_days day = floor<days>(local);
  const year_month_day date(day);
  const hh_mm_ss<milliseconds> clock(local - day);
  char text[64];
  int length = std::snprintf(
      text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(date.year()),
      static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
      static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
      static_cast<int>(clock.seconds().count()));
  std::string out(text, static_cast<std::size_t>(length));
  if (clock.subseconds().count() != 0) {
    length =
        std::snprintf(text, sizeof text, ".%03d", static_cast<int>(clock.subseconds().count()));
    out.append(text, static_cast<std::size_t>(length));
  }
  if (utc_offset_min == 0) {
    return out + "Z";
  }
  const int magnitude = std::abs(utc_offset_min);
  length = std::snprintf(text, sizeof text, "%c%02d:%02d", utc_offset_min < 0 ? '-' : '+',
                         magnitude / 60, magnitude % 60);
  return out.append(text, static_cast<std::size_t>(length));
}

}  // namespace hallcast::config
