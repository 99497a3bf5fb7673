// Helpers for the config tests: a small valid document to break one thing at a time,
// and assertions on the problems a document yields.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace hallcast::config::test {

using Json = nlohmann::ordered_json;

// Valid: two cameras, a floor mic, English and Russian booths, two scenes, a lower
// third and a slate, an RTMP output and a recording.
inline Json valid_document() {
  return Json::parse(R"({
    "event": { "title": "Round-table", "speakers": [
      { "id": "abiru", "name": "Taisuke Abiru", "role": "Senior Research Fellow" },
      { "id": "kashin", "name": "Vasily Kashin" } ] },
    "video": { "width": 1280, "height": 720, "fps": 30, "bitrate_kbps": 3000,
               "keyframe_interval_s": 2 },
    "audio": { "sample_rate": 48000, "bitrate_kbps": 128 },
    "sources": [
      { "id": "cam1", "kind": "video", "uri": "test:video?pattern=ball", "label": "Wide" },
      { "id": "cam2", "kind": "video", "uri": "test:video?pattern=smpte" },
      { "id": "mic1", "kind": "audio", "uri": "test:audio?freq=440&volume=0.3" },
      { "id": "booth-en", "kind": "interpretation", "language": "en",
        "uri": "test:audio?freq=1000&on_s=2&off_s=3" },
      { "id": "booth-ru", "kind": "interpretation", "language": "ru",
        "uri": "test:audio?freq=800&on_s=3&off_s=2" } ],
    "scenes": [
      { "id": "wide", "name": "Wide", "layers": [ { "source": "cam1", "x": 0, "y": 0, "w": 1, "h": 1 } ] },
      { "id": "pip", "layers": [ { "source": "cam1" },
        { "source": "cam2", "x": 0.7, "y": 0.05, "w": 0.25, "h": 0.25 } ] } ],
    "overlays": [ { "id": "lt-abiru", "type": "lower_third", "speaker": "abiru" },
                  { "id": "slate", "type": "title", "text": "Starting soon" } ],
    "outputs": [
      { "id": "vk", "type": "rtmp", "url": "rtmp://ingest.example/live",
        "key_env": "HALLCAST_KEY_VK", "language": "ru", "enabled": true },
      { "id": "rec", "type": "record", "path": "recordings" } ],
    "control": { "listen": "127.0.0.1:8080", "token_env": "HALLCAST_TOKEN" }
  })");
}

// An environment holding exactly `variables`, whatever the test's own environment holds.
inline Environment environment(std::map<std::string, std::string> variables = {}) {
  return [variables = std::move(variables)](const std::string& name) -> std::optional<std::string> {
    const auto it = variables.find(name);
    return it == variables.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

// Every problem `text` has; empty when it is a valid config.
inline std::vector<Problem> problems_of_text(std::string_view text,
                                             const Environment& env = environment()) {
  try {
    parse(text, env);
  } catch (const ConfigError& error) {
    return error.problems();
  }
  return {};
}

inline std::vector<Problem> problems_of(const Json& document,
                                        const Environment& env = environment()) {
  return problems_of_text(document.dump(), env);
}

inline std::string listing(const std::vector<Problem>& problems) {
  std::string text;
  for (const Problem& problem : problems) {
    text += "\n  " + problem.to_string();
  }
  return problems.empty() ? " none" : text;
}

// Exactly one problem, at `path`, whose message contains `fragment`.
inline ::testing::AssertionResult only_problem(const std::vector<Problem>& problems,
                                               std::string_view path, std::string_view fragment) {
  if (problems.size() == 1 && problems[0].path == path &&
      problems[0].message.find(fragment) != std::string::npos) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "expected only " << path << ": …" << fragment << "…; got" << listing(problems);
}

// A problem at `path` whose message contains `fragment`, among others.
inline ::testing::AssertionResult has_problem(const std::vector<Problem>& problems,
                                              std::string_view path, std::string_view fragment) {
  for (const Problem& problem : problems) {
    if (problem.path == path && problem.message.find(fragment) != std::string::npos) {
      return ::testing::AssertionSuccess();
    }
  }
  return ::testing::AssertionFailure()
         << "expected " << path << ": …" << fragment << "…; got" << listing(problems);
}

}  // namespace hallcast::config::test
