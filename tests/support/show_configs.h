// Pieces that in-process engine tests and benchmarks put in the configs they build.
#pragma once

#include <filesystem>

#include "config/config.h"

namespace hallcast::testing {

// A recording output "rec" writing into `folder`: what a test decodes afterwards.
inline config::Output record_output(const std::filesystem::path& folder) {
  config::Output rec;
  rec.id = "rec";
  rec.name = "rec";
  rec.type = config::OutputType::record;
  rec.path = folder.string();
  return rec;
}

}  // namespace hallcast::testing
