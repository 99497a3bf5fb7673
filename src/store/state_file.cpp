#include "store/state_file.h"

#include <spdlog/spdlog.h>

#include <ctime>
#include <fstream>
#include <sstream>
#include <system_error>

#include "store/state_codec.h"

namespace hallcast::store {

namespace {

std::string timestamp_now() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%d-%H%M%S", &local);
  return text;
}

// Renames `file` out of the way without overwriting an earlier one set aside.
void set_aside(const std::filesystem::path& file, const std::string& why) {
  const std::string stem = file.string() + ".bad-" + timestamp_now();
  std::filesystem::path aside = stem;
  for (int n = 1; std::filesystem::exists(aside); ++n) {
    aside = stem + "-" + std::to_string(n);
  }
  std::error_code ec;
  std::filesystem::rename(file, aside, ec);
  if (ec) {
    spdlog::warn(
        "state: {} is unusable ({}) and cannot be set aside ({}); starting as the "
        "config says",
        file.string(), why, ec.message());
    return;
  }
  spdlog::warn("state: {} is unusable ({}); set aside as {}; starting as the config says",
               file.string(), why, aside.string());
}

}  // namespace

std::optional<show::LiveState> load_state(const std::filesystem::path& folder) {
  const auto file = folder / kStateFileName;
  std::error_code ec;
  if (!std::filesystem::exists(file, ec) && !ec) {
    spdlog::info("state: no saved state in {}; starting as the config says", folder.string());
    return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in || ec) {
    set_aside(file, "cannot be read");
    return std::nullopt;
  }
  try {
    auto state = decode_state(text.str());
    spdlog::info("state: restoring the show saved in {}", file.string());
    return state;
  } catch (const StateFormatError& e) {
    set_aside(file, e.what());
    return std::nullopt;
  }
}

}  // namespace hallcast::store
