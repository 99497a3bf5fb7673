// The secrets a config holds, for the Redactor, and the URLs it names in a form that
// is safe to show. Besides stream keys and tokens, URLs carry secrets of their own:
// an IP camera's `user:password@`, an SRT `passphrase` or `streamid` (platforms route
// and authorise by it, and hallcast sends a stream key as one), and the key of an RTMP
// output written into its URL as the last path segment (SPEC §2).
//
// Wherever a URL is logged or shown, it is the shown form; and every secret part goes
// to the Redactor at start-up, so a GStreamer message quoting a URL is scrubbed too.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace hallcast::config {

enum class PathKey {
  no,   // the path is not secret
  yes,  // the last path segment is a stream key
};

struct RedactedUrl {
  std::string shown;                 // each secret part replaced by ***
  std::vector<std::string> secrets;  // each secret part as written, and percent-decoded
};

// `url` as `scheme://[userinfo@]host[:port][/path][?query]`; text that is not such a
// URL comes back as it is, with no secrets.
RedactedUrl redact_url(std::string_view url, PathKey path_key = PathKey::no);

// Whether the last segment of an output's URL is its key: an RTMP output with neither
// `key_env` nor `key` (SPEC §2).
PathKey path_key(const Output& output);

// What the log and the operator may see of a source's URI and an output's URL.
std::string shown_uri(const Source& source);
std::string shown_url(const Output& output);

// Every secret the config holds: stream keys, tokens, the obs-websocket password and
// the secret parts of URLs.
std::vector<Secret> secrets(const Config& config);

}  // namespace hallcast::config
