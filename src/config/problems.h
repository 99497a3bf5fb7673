// Collects what is wrong with one config file while it is read and validated, so that
// the operator sees every mistake in one run of `hallcast check` instead of one per run.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace hallcast::config {

class Problems {
 public:
  // Records a problem unless the same value, or a value containing it, is already
  // reported: one mistake should give one line, not a cascade of follow-on lines.
  void add(std::string path, std::string message);

  // Marks the end of reading: problems found so far mean a value could not be read.
  void finish_reading() { read_count_ = list_.size(); }

  // True when reading `path`, or a value containing it, failed. Its typed form then
  // holds a default rather than what was written, so checks that depend on it are skipped.
  bool unreadable(std::string_view path) const;

  // True when `path`, or a value containing it, has any problem so far.
  bool reported(std::string_view path) const;

  bool empty() const { return list_.empty(); }
  std::vector<Problem> take() { return std::move(list_); }

 private:
  std::vector<Problem> list_;
  std::size_t read_count_ = static_cast<std::size_t>(-1);
};

// JSON paths as shown to the operator: `$` is the document, `video.fps`,
// `scenes[1].layers[0].source`.
std::string member_path(std::string_view parent, std::string_view key);
std::string index_path(std::string_view parent, std::size_t index);

// A value written back for the operator: quoted, escaped, and shortened when long.
std::string quote(std::string_view text);

// The shortest text that reads back as `value` (1.5, 0.1, 2, 1e-05).
std::string format_number(double value);

}  // namespace hallcast::config
