#include "engine/gst/contain.h"

namespace hallcast::engine::detail {

void report_current(FailureSink* sink, std::string_view part, std::string_view unit) noexcept {
  if (sink == nullptr) {
    return;
  }
  try {
    throw;
  } catch (const std::exception& e) {
    sink->failed(part, unit, e.what());
  } catch (...) {
    sink->failed(part, unit, "an exception that is not a std::exception");
  }
}

}  // namespace hallcast::engine::detail
