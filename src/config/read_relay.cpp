// The `relay` section into its struct; its rules are validate_relay.cpp's.
#include "config/read.h"

namespace hallcast::config {

Relay read_relay(const Json& value, Problems& problems) {
  Relay relay;
  ObjectReader reader(value, "relay", problems);
  reader.string("url", relay.url, Need::required);
  reader.string("stat_url", relay.stat_url);
  reader.reject_unknown_keys();
  return relay;
}

}  // namespace hallcast::config
