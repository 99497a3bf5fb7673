#include "control/static_files.h"

#include <algorithm>
#include <array>
#include <utility>

namespace hallcast::control {

namespace {

// A segment that could climb out, hide, or smuggle a second decoding pass. Such names
// never occur in web/, so refusing them costs nothing.
bool acceptable_segment(std::string_view segment) {
  if (segment.empty() || segment.front() == '.') {
    return false;
  }
  return std::none_of(segment.begin(), segment.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F || c == '\\' || c == '%' || c == ':';
  });
}

bool inside(const std::filesystem::path& root, const std::filesystem::path& path) {
  auto [r, p] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return r == root.end();
}

}  // namespace

StaticFiles::StaticFiles(const std::filesystem::path& root) {
  std::error_code error;
  root_ = std::filesystem::weakly_canonical(std::filesystem::absolute(root), error);
  if (error) {
    root_ = std::filesystem::absolute(root).lexically_normal();
  }
}

std::optional<StaticFile> StaticFiles::resolve(std::string_view url_path) const {
  if (url_path.empty() || url_path.front() != '/') {
    return std::nullopt;
  }
  std::filesystem::path relative;
  std::string_view rest = url_path.substr(1);
  bool folder = rest.empty() || rest.back() == '/';
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (!acceptable_segment(segment)) {
      return std::nullopt;
    }
    relative /= std::string(segment);
    if (slash == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(slash + 1);
  }
  std::error_code error;
  std::filesystem::path candidate = root_ / relative;
  if (!folder && std::filesystem::is_directory(candidate, error)) {
    folder = true;
  }
  if (folder) {
    candidate /= "index.html";
  }
  // Resolve symlinks and check again: a link inside web/ may point anywhere.
  const auto real = std::filesystem::canonical(candidate, error);
  if (error || !inside(root_, real) || !std::filesystem::is_regular_file(real, error)) {
    return std::nullopt;
  }
  return StaticFile{real, content_type_for(real)};
}

std::string_view content_type_for(const std::filesystem::path& file) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> types{{
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
      {".webp", "image/webp"},
      {".m3u8", "application/vnd.apple.mpegurl"},
      {".ts", "video/mp2t"},
  }};
  const std::string extension = file.extension().string();
  for (const auto& [ext, type] : types) {
    if (ext == extension) {
      return type;
    }
  }
  return "application/octet-stream";
}

}  // namespace hallcast::control
