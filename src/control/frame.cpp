#include "control/frame.h"

#include <cstring>

namespace hallcast::control {

Frame::Frame(std::string_view payload, Kind kind) : bytes_(LWS_PRE + payload.size()), kind_(kind) {
  std::memcpy(bytes_.data() + LWS_PRE, payload.data(), payload.size());
}

}  // namespace hallcast::control
