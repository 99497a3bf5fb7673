#include "engine/gst/pipeline_templates.h"

#include <fstream>
#include <sstream>

namespace hallcast::engine {

PipelineTemplates::PipelineTemplates(std::filesystem::path dir) : dir_(std::move(dir)) {}

std::filesystem::path PipelineTemplates::path_of(std::string_view name) const {
  return dir_ / (std::string(name) + ".pipeline");
}

bool PipelineTemplates::has(std::string_view name) const {
  std::error_code ec;
  return std::filesystem::is_regular_file(path_of(name), ec);
}

namespace {

// One line of text: comments dropped, each line trimmed, lines joined by one space.
std::string strip_comments(std::istream& in) {
  std::string out;
  std::string line;
  while (std::getline(in, line)) {
    if (auto hash = line.find('#'); hash != std::string::npos) {
      line.erase(hash);
    }
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) {
      continue;
    }
    const auto last = line.find_last_not_of(" \t\r");
    if (!out.empty()) {
      out += ' ';
    }
    out.append(line, first, last - first + 1);
  }
  return out;
}

}  // namespace

std::string PipelineTemplates::render(std::string_view name, const TemplateValues& values) const {
  const auto file = path_of(name);
  std::ifstream in(file);
  if (!in) {
    throw TemplateError("pipeline template " + file.string() + " cannot be read");
  }
  const std::string text = strip_comments(in);

  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] != '{') {
      out += text[i++];
      continue;
    }
    const auto close = text.find('}', i);
    if (close == std::string::npos) {
      throw TemplateError("pipeline template " + file.string() + ": unclosed '{'");
    }
    const std::string_view key(text.data() + i + 1, close - i - 1);
    const auto it = values.find(key);
    if (it == values.end()) {
      throw TemplateError("pipeline template " + file.string() + ": unknown placeholder {" +
                          std::string(key) + "}");
    }
    out += it->second;
    i = close + 1;
  }
  return out;
}

}  // namespace hallcast::engine
