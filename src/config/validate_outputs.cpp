// Validator rules for where the programme goes (outputs: what each type needs, keys,
// languages) and for the control port.
#include <algorithm>
#include <filesystem>

#include "config/uri_syntax.h"
#include "config/validate.h"

namespace hallcast::config {
namespace {

bool is_network(OutputType type) {
  return type == OutputType::rtmp || type == OutputType::srt;
}

bool has_parent_segment(const std::string& path) {
  const std::filesystem::path folder(path);
  return std::any_of(folder.begin(), folder.end(), [](const auto& part) { return part == ".."; });
}

// Absolute and without "." segments or trailing slashes, so that two ways of writing
// one folder compare equal. Symbolic links are not followed: the folder may not exist.
std::filesystem::path normal_folder(const std::string& path) {
  std::error_code error;
  std::filesystem::path folder = std::filesystem::absolute(path, error).lexically_normal();
  if (error) {
    folder = std::filesystem::path(path).lexically_normal();
  }
  if (!folder.has_filename() && folder != folder.root_path()) {
    folder = folder.parent_path();
  }
  return folder;
}

// Whether `inner` is `outer` or lies within it.
bool inside(const std::filesystem::path& outer, const std::filesystem::path& inner) {
  const auto [end, unused] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  return end == outer.end();
}

std::string type_name(OutputType type) {
  return std::string(to_string(type));
}

void check_url(const Output& output, const std::string& path, Problems& problems) {
  const std::string url_path = path + ".url";
  if (problems.unreadable(url_path)) {
    return;
  }
  if (output.url.empty()) {
    problems.add(url_path, type_name(output.type) + " outputs need a url");
    return;
  }
  // Messages name the part that is wrong, never the URL: some platforms hand out
  // URLs with the stream key already in them.
  const std::string expected = output.type == OutputType::rtmp
                                   ? "expected rtmp://HOST/… or rtmps://HOST/…"
                                   : "expected srt://HOST:PORT…";
  auto parsed = parse_network_url(output.url);
  if (auto* message = std::get_if<std::string>(&parsed)) {
    problems.add(url_path, output.url.find("://") == std::string::npos ? expected : *message);
    return;
  }
  const NetworkUrl& url = std::get<NetworkUrl>(parsed);
  const bool fits = output.type == OutputType::rtmp
                        ? (url.scheme == "rtmp" || url.scheme == "rtmps") && !url.host.empty()
                        // An SRT output without a host listens for the platform to call.
                        : url.scheme == "srt" && url.port != 0;
  if (!fits) {
    problems.add(url_path, expected);
  }
}

void check_path(const Output& output, const std::string& path, Problems& problems) {
  const std::string folder_path = path + ".path";
  if (problems.unreadable(folder_path)) {
    return;
  }
  if (output.path.empty()) {
    problems.add(folder_path, type_name(output.type) + " outputs need a path");
  } else if (auto bad = find_unsafe_character(output.path, Charset::file_path)) {
    problems.add(folder_path, *bad);
  } else if (has_parent_segment(output.path)) {
    // `recordings/../../x` lands somewhere nobody reading the config expects; a folder
    // outside the working one is written as an absolute path, plainly.
    problems.add(folder_path,
                 "\"..\" is not allowed: name the folder directly (absolute for one "
                 "outside the working folder)");
  }
}

// An HLS folder is hallcast's own: it deletes and rewrites the video/ and audio-*/
// folders in it, and serves every file in it to anyone without a token. The working
// folder (which holds the config, perhaps with keys), the root, or another output's
// folder cannot be one.
void check_hls_folders(const Config& config, Problems& problems) {
  std::vector<std::filesystem::path> folders(config.outputs.size());
  for (std::size_t i = 0; i < config.outputs.size(); ++i) {
    const Output& output = config.outputs[i];
    const std::string path = index_path("outputs", i);
    if (!is_network(output.type) && !problems.reported(path + ".type") &&
        !problems.reported(path + ".path")) {
      folders[i] = normal_folder(output.path);
    }
  }
  for (std::size_t i = 0; i < config.outputs.size(); ++i) {
    if (folders[i].empty() || config.outputs[i].type != OutputType::hls) {
      continue;
    }
    const std::string path = index_path("outputs", i) + ".path";
    if (folders[i] == normal_folder(".") || folders[i] == folders[i].root_path()) {
      problems.add(path,
                   "an HLS output needs a folder of its own: it replaces folders in it "
                   "and serves every file in it to anyone");
      continue;
    }
    for (std::size_t j = 0; j < config.outputs.size(); ++j) {
      if (j == i || folders[j].empty() || !inside(folders[i], folders[j])) {
        continue;
      }
      problems.add(path, "holds the folder of " + index_path("outputs", j) +
                             ": an HLS output needs a folder of its own (it serves every "
                             "file in it to anyone)");
      break;
    }
  }
}

void check_key(const Output& output, const std::string& path, Problems& problems) {
  const std::string key_env_path = path + ".key_env";
  const std::string key_path = path + ".key";
  if (!is_network(output.type)) {
    if (!output.key_env.empty()) {
      problems.add(key_env_path, type_name(output.type) + " outputs take no key");
    }
    if (!output.key.empty()) {
      problems.add(key_path, type_name(output.type) + " outputs take no key");
    }
    return;
  }
  if (!output.key_env.empty() && !is_environment_name(output.key_env)) {
    problems.add(key_env_path, "not an environment variable name: " + quote(output.key_env));
  }
  if (output.key.empty()) {
    return;
  }
  if (!output.key_env.empty()) {
    problems.add(key_path, "give key_env or key, not both");
  } else if (find_unsafe_character(output.key.reveal(), Charset::network_uri)) {
    // Which character is not said: it would be a piece of the key.
    problems.add(key_path, "holds a character not allowed in a URL");
  }
}

// A recording is cut into files and HLS into segments; nothing else is.
void check_segment(const Output& output, const Video& video, const std::string& path,
                   Problems& problems) {
  const std::string segment_path = path + ".segment_s";
  if (!output.segment_s || problems.unreadable(segment_path)) {
    return;
  }
  const double value = *output.segment_s;
  auto out_of_range = [&](double low, double high) {
    problems.add(segment_path, "must be " + format_number(low) + ".." + format_number(high) +
                                   ", got " + format_number(value));
  };
  if (output.type == OutputType::record) {
    if (value < 2 || value > 86400) {
      out_of_range(2, 86400);
    }
  } else if (output.type == OutputType::hls) {
    if (value < 1 || value > 60) {
      out_of_range(1, 60);
    } else if (value < video.keyframe_interval_s &&
               !problems.reported("video.keyframe_interval_s")) {
      // A segment starts on a keyframe: a shorter one cannot be cut.
      problems.add(segment_path, "must be at least video.keyframe_interval_s (" +
                                     format_number(video.keyframe_interval_s) + ")");
    }
  } else {
    problems.add(segment_path, type_name(output.type) + " outputs take no segment_s");
  }
}

}  // namespace

void validate_outputs(const Config& config, Problems& problems) {
  // A booth whose kind or language is wrong makes the list of tracks uncertain; an
  // output naming that language would get a second, misleading line.
  bool languages_known = !problems.reported("sources");
  for (std::size_t i = 0; i < config.sources.size(); ++i) {
    const std::string source_path = index_path("sources", i);
    languages_known = languages_known && !problems.reported(source_path + ".kind") &&
                      !problems.reported(source_path + ".language");
  }
  const std::vector<std::string> languages = config.languages();
  for (std::size_t i = 0; i < config.outputs.size(); ++i) {
    const Output& output = config.outputs[i];
    const std::string path = index_path("outputs", i);
    if (!problems.unreadable(path + ".type")) {
      if (is_network(output.type)) {
        check_url(output, path, problems);
        if (!output.path.empty()) {
          problems.add(path + ".path", type_name(output.type) + " outputs take a url, not a path");
        }
      } else {
        check_path(output, path, problems);
        if (!output.url.empty()) {
          problems.add(path + ".url", type_name(output.type) + " outputs take a path, not a url");
        }
      }
      check_key(output, path, problems);
      check_segment(output, config.video, path, problems);
    }
    const std::string language_path = path + ".language";
    if (languages_known && !problems.unreadable(language_path) &&
        std::find(languages.begin(), languages.end(), output.language) == languages.end()) {
      std::string choices;
      for (std::size_t j = 0; j < languages.size(); ++j) {
        choices += (j == 0 ? "" : j + 1 == languages.size() ? " or " : ", ") + languages[j];
      }
      problems.add(language_path,
                   "unknown language " + quote(output.language) + "; expected " + choices);
    }
  }
  check_hls_folders(config, problems);
}

void validate_control(const Config& config, Problems& problems) {
  const Control& control = config.control;
  if (control.obs_websocket) {
    const ObsWebsocket& obs = *control.obs_websocket;
    const std::string obs_path = "control.obs_websocket.password_env";
    if (!problems.unreadable(obs_path) && !is_environment_name(obs.password_env)) {
      problems.add(obs_path, "not an environment variable name: " + quote(obs.password_env));
    }
    const std::string listen_path = "control.obs_websocket.listen";
    if (!problems.unreadable(listen_path) && !problems.unreadable("control.listen") &&
        obs.port == control.port && obs.host == control.host) {
      problems.add(listen_path, "must differ from control.listen");
    }
  }
  const std::string path = "control.token_env";
  if (!problems.unreadable(path) && !is_environment_name(control.token_env)) {
    problems.add(path, "not an environment variable name: " + quote(control.token_env));
  }
  const std::string viewer_path = "control.viewer_token_env";
  if (problems.unreadable(viewer_path) || control.viewer_token_env.empty()) {
    return;
  }
  if (!is_environment_name(control.viewer_token_env)) {
    problems.add(viewer_path,
                 "not an environment variable name: " + quote(control.viewer_token_env));
  } else if (control.viewer_token_env == control.token_env) {
    // One token for both roles would make every viewer an operator.
    problems.add(viewer_path, "must differ from token_env");
  }
}

}  // namespace hallcast::config
