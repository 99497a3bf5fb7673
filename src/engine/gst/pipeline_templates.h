// Pipeline descriptions that a site may adapt live as text in pipelines/ (one file per
// chain: a source kind, an encoder, an output's muxer and sink). This unit loads them
// and fills in their `{placeholders}`, so switching x264enc for a hardware encoder
// needs no rebuild.
#pragma once

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

namespace hallcast::engine {

class TemplateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using TemplateValues = std::map<std::string, std::string, std::less<>>;

class PipelineTemplates {
 public:
  explicit PipelineTemplates(std::filesystem::path dir);

  // The text of `<dir>/<name>.pipeline`, comments (`#` to end of line) removed and lines joined,
  // with every `{key}` replaced by its value. Throws TemplateError when the file is missing or
  // names a placeholder not in `values`.
  std::string render(std::string_view name, const TemplateValues& values) const;

  bool has(std::string_view name) const;
  std::filesystem::path path_of(std::string_view name) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace hallcast::engine
