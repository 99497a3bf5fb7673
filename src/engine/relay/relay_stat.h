// What the relay's statistics say: nginx-rtmp's rtmp_stat XML (served by the relay's
// HTTP stat location) read into plain values. Only what hallcast judges a destination
// by is kept: each live stream, its publisher, and the pushes nginx-rtmp makes of it
// (clients with flashver "ngx-local-relay", whose address is the push URL without
// "rtmp://"). Read with GLib's GMarkup, which the engine links already: the document is
// small, flat and machine-written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hallcast::engine {

struct RelayClient {
  std::string address;  // a push: its URL without "rtmp://" (holds the key)
  std::string flashver;
  bool publishing = false;  // the upload into the relay
  bool active = false;
  std::uint64_t timestamp_ms = 0;  // of the last message queued for it
  std::uint64_t dropped = 0;       // messages it could not take

  bool is_push() const { return flashver == "ngx-local-relay"; }
};

struct RelayStream {
  std::string application;
  std::string name;  // the language
  bool publishing = false;
  std::uint64_t bytes_in = 0;
  std::vector<RelayClient> clients;
};

struct RelayStat {
  std::uint64_t bytes_in = 0;  // everything the relay received: the hall's uplink
  std::uint64_t bytes_out = 0;
  std::vector<RelayStream> streams;

  const RelayStream* find_stream(std::string_view application, std::string_view name) const;
};

// nullopt (and why in `error`) when `xml` is not rtmp_stat's document.
std::optional<RelayStat> parse_rtmp_stat(std::string_view xml, std::string& error);

}  // namespace hallcast::engine
