// The operator panel's files: which file under web/ a URL path names, if any, and the
// content type it is served with. Nothing outside web/ can be named (no "..", no
// hidden files, no symlink leading out), and a folder is never listed.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

namespace hallcast::control {

struct StaticFile {
  std::filesystem::path path;
  std::string_view content_type;
};

class StaticFiles {
 public:
  // `root` need not exist yet; resolve() then finds nothing.
  explicit StaticFiles(const std::filesystem::path& root);

  // The file for `url_path` (already percent-decoded by the HTTP parser, without the
  // query), or nullopt: answer 404. "/" and "/folder/" name their index.html.
  std::optional<StaticFile> resolve(std::string_view url_path) const;

 private:
  std::filesystem::path root_;  // canonical
};

std::string_view content_type_for(const std::filesystem::path& file);

}  // namespace hallcast::control
