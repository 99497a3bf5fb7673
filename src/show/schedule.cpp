#include "show/schedule.h"

#include <algorithm>
#include <cstdio>

namespace hallcast::show {

std::vector<CueStatus> start_schedule(const std::vector<Cue>& cues, config::WallTime now) {
  std::vector<CueStatus> schedule;
  for (std::size_t i = 0; i < cues.size(); ++i) {
    CueStatus status;
    status.index = i;
    status.at = cues[i].at;
    status.at_text = cues[i].at_text;
    status.command = cues[i].command;
    status.state = cues[i].at.time < now ? CueState::passed : CueState::pending;
    schedule.push_back(std::move(status));
  }
  return schedule;
}

std::optional<config::WallTime> next_due(const std::vector<CueStatus>& schedule) {
  std::optional<config::WallTime> next;
  for (const auto& cue : schedule) {
    if (cue.state == CueState::pending && (!next || cue.at.time < *next)) {
      next = cue.at.time;
    }
  }
  return next;
}

std::vector<std::size_t> due_cues(const std::vector<CueStatus>& schedule, config::WallTime now) {
  std::vector<std::size_t> due;
  for (const auto& cue : schedule) {
    if (cue.state == CueState::pending && cue.at.time <= now) {
      due.push_back(cue.index);
    }
  }
  std::stable_sort(due.begin(), due.end(), [&](std::size_t a, std::size_t b) {
    return schedule[a].at.time < schedule[b].at.time;
  });
  return due;
}

std::string remaining_text(config::WallTime start, config::WallTime now) {
  const long long ms = std::max<long long>(0, (start - now).count());
  const long long total = (ms + 999) / 1000;
  char text[32];
  if (total >= 3600) {
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", total / 3600, total / 60 % 60,
                  total % 60);
  } else {
    std::snprintf(text, sizeof text, "%lld:%02lld", total / 60, total % 60);
  }
  return text;
}

std::string fill_countdown(std::string_view text, std::string_view remaining) {
  constexpr std::string_view placeholder = "{remaining}";
  std::string out;
  std::size_t at = 0;
  for (;;) {
    const auto found = text.find(placeholder, at);
    if (found == std::string_view::npos) {
      out.append(text.substr(at));
      return out;
    }
    out.append(text.substr(at, found - at));
    out.append(remaining);
    at = found + placeholder.size();
  }
}

}  // namespace hallcast::show
