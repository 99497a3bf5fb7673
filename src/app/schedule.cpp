#include "app/schedule.h"

#include <algorithm>
#include <numeric>
#include <variant>

#include "control/protocol.h"
#include "show/command_check.h"

namespace hallcast::app {

std::vector<show::Cue> build_schedule(const config::Config& config,
                                      std::vector<config::Problem>& problems) {
  std::vector<show::Cue> cues;
  std::vector<std::optional<show::Command>> commands;
  // Reported in the cues' order, whichever check found them.
  std::vector<std::vector<config::Problem>> found(config.schedule.size());
  const auto start = config.event_start();
  for (std::size_t i = 0; i < config.schedule.size(); ++i) {
    const config::Cue& cue = config.schedule[i];
    const std::string path = "schedule[" + std::to_string(i) + "]";
    auto parsed = control::parse_command(cue.request);
    if (const auto* error = std::get_if<control::Error>(&parsed)) {
      found[i].push_back({error->field.empty() ? path : path + "." + error->field, error->message});
      commands.emplace_back();
    } else {
      commands.emplace_back(std::get<show::Command>(std::move(parsed)));
    }
    const auto when = config.cue_time(cue);
    // Shown in the event's own offset: one clock for the whole list.
    const int offset = start ? start->utc_offset_min : (cue.time ? cue.time->utc_offset_min : 0);
    cues.push_back({config::ZonedTime{when.value_or(config::WallTime{}), offset}, cue.at_text,
                    commands.back().value_or(show::StateGet{})});
  }
  // Checked in the order they will run: an overlay a cue creates exists for the later ones.
  std::vector<std::size_t> order(cues.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return cues[a].at.time < cues[b].at.time; });
  show::CommandChecker checker(config, cues.size());
  for (const std::size_t i : order) {
    if (!commands[i]) {
      continue;
    }
    if (auto problem = checker.check(*commands[i])) {
      const std::string path = "schedule[" + std::to_string(i) + "]";
      found[i].push_back(
          {problem->field.empty() ? path : path + "." + problem->field, problem->message});
    }
  }
  for (auto& list : found) {
    problems.insert(problems.end(), list.begin(), list.end());
  }
  return cues;
}

namespace {

// Rehearsal times fall on whole seconds, as a real schedule's do: a countdown then
// changes on the second.
config::WallTime whole_second(config::WallTime time) {
  return std::chrono::ceil<std::chrono::seconds>(time);
}

}  // namespace

std::optional<std::string> rehearse(config::Config& config, const Rehearsal& rehearsal,
                                    config::WallTime now) {
  if (!rehearsal.event_start.empty() && !rehearsal.first_cue_in.empty()) {
    return "--event-start and --first-cue-in each move the schedule: give one";
  }
  const auto old_start = config.event_start();
  if (!rehearsal.event_start.empty()) {
    std::optional<config::ZonedTime> start;
    if (const auto from_now = config::parse_offset(rehearsal.event_start)) {
      start = config::ZonedTime{whole_second(now + *from_now),
                                old_start ? old_start->utc_offset_min : 0};
    } else {
      start = config::parse_zoned_time(rehearsal.event_start);
    }
    if (!start) {
      return "--event-start: expected an ISO 8601 time with its UTC offset "
             "(2026-07-03T11:00:00+03:00) or a signed offset from now (+90s)";
    }
    if (old_start) {
      config.shift_times(start->time - old_start->time);
    }
    // Shown from now on in the offset given.
    config.event.start = config::format_iso_time(*start);
    return std::nullopt;
  }
  if (!rehearsal.first_cue_in.empty()) {
    const auto lead = config::parse_offset(rehearsal.first_cue_in.starts_with('+')
                                               ? rehearsal.first_cue_in
                                               : "+" + rehearsal.first_cue_in);
    if (!lead || lead->count() < 0) {
      return "--first-cue-in: expected a duration such as 30s or 2m";
    }
    std::optional<config::WallTime> first;
    for (const auto& cue : config.schedule) {
      if (const auto when = config.cue_time(cue); when && (!first || *when < *first)) {
        first = when;
      }
    }
    if (!first && old_start) {
      first = old_start->time;
    }
    if (first) {  // nothing to move otherwise
      config.shift_times(whole_second(now + *lead) - *first);
    }
  }
  return std::nullopt;
}

}  // namespace hallcast::app
