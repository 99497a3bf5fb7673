// The entry points: config text or file → validated Config, or ConfigError.
#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>

#include "config/config.h"
#include "config/json_text.h"
#include "config/read.h"
#include "config/validate.h"

namespace hallcast::config {

Config parse(std::string_view json_text) {
  Problems problems;
  const std::optional<Json> document = parse_json_text(json_text, problems);
  if (!document) {
    throw ConfigError(problems.take());
  }
  Config config = read_config(*document, problems);
  problems.finish_reading();
  validate(config, problems);
  if (!problems.empty()) {
    throw ConfigError(problems.take());
  }
  return config;
}

Config load_file(const std::filesystem::path& file) {
  std::ifstream stream(file, std::ios::binary);
  if (!stream) {
    const int error = errno;
    throw ConfigError(
        {Problem{"$", "cannot read " + quote(file.string()) + ": " +
                          (error != 0 ? std::generic_category().message(error) : "cannot open")}});
  }
  std::ostringstream text;
  text << stream.rdbuf();
  if (stream.bad()) {
    throw ConfigError({Problem{"$", "cannot read " + quote(file.string())}});
  }
  return parse(text.str());
}

}  // namespace hallcast::config
