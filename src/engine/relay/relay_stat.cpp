#include "engine/relay/relay_stat.h"

#include <charconv>
#include <memory>

#include "engine/gst/gst_ptr.h"

namespace hallcast::engine {
namespace {

struct Reader {
  RelayStat stat;
  std::vector<std::string> path;  // element names from the root
  std::string application;        // of the <application> being read
  bool rooted = false;

  bool at(std::initializer_list<std::string_view> tail) const {
    if (path.size() < tail.size()) {
      return false;
    }
    auto it = path.end() - static_cast<std::ptrdiff_t>(tail.size());
    for (const auto name : tail) {
      if (*it++ != name) {
        return false;
      }
    }
    return true;
  }
  bool inside(std::string_view name) const {
    for (const auto& element : path) {
      if (element == name) {
        return true;
      }
    }
    return false;
  }
  RelayStream* stream() { return stat.streams.empty() ? nullptr : &stat.streams.back(); }
  RelayClient* client() {
    RelayStream* s = stream();
    return s == nullptr || s->clients.empty() ? nullptr : &s->clients.back();
  }
};

std::uint64_t number(std::string_view text) {
  std::uint64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

void on_start(GMarkupParseContext*, const gchar* name, const gchar**, const gchar**, gpointer data,
              GError** error) {
  auto* r = static_cast<Reader*>(data);
  const std::string_view element(name);
  if (r->path.empty()) {
    if (element != "rtmp") {
      g_set_error(error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                  "not nginx-rtmp's statistics: the document is <%s>", name);
      return;
    }
    r->rooted = true;
  }
  r->path.emplace_back(element);
  if (r->at({"live", "stream"})) {
    r->stat.streams.push_back({r->application, {}, false, 0, {}});
  } else if (r->at({"stream", "client"}) && r->stream() != nullptr) {
    r->stream()->clients.emplace_back();
  } else if (r->at({"stream", "client", "active"}) && r->client() != nullptr) {
    r->client()->active = true;
  } else if (r->at({"stream", "client", "publishing"}) && r->client() != nullptr) {
    r->client()->publishing = true;
  } else if (r->at({"live", "stream", "publishing"}) && r->stream() != nullptr) {
    r->stream()->publishing = true;
  }
}

void on_end(GMarkupParseContext*, const gchar*, gpointer data, GError**) {
  auto* r = static_cast<Reader*>(data);
  if (!r->path.empty()) {
    r->path.pop_back();
  }
}

void on_text(GMarkupParseContext*, const gchar* text, gsize length, gpointer data, GError**) {
  auto* r = static_cast<Reader*>(data);
  const std::string_view value(text, length);
  if (r->at({"rtmp", "bytes_in"}) && r->path.size() == 2) {
    r->stat.bytes_in = number(value);
  } else if (r->at({"rtmp", "bytes_out"}) && r->path.size() == 2) {
    r->stat.bytes_out = number(value);
  } else if (r->at({"application", "name"})) {
    r->application = std::string(value);
  } else if (r->at({"live", "stream", "name"}) && r->stream() != nullptr) {
    r->stream()->name = std::string(value);
  } else if (r->at({"live", "stream", "bytes_in"}) && r->stream() != nullptr) {
    r->stream()->bytes_in = number(value);
  } else if (r->inside("client") && r->client() != nullptr && !r->inside("meta")) {
    RelayClient& client = *r->client();
    if (r->at({"client", "address"})) {
      client.address = std::string(value);
    } else if (r->at({"client", "flashver"})) {
      client.flashver = std::string(value);
    } else if (r->at({"client", "dropped"})) {
      client.dropped = number(value);
    } else if (r->at({"client", "timestamp"})) {
      client.timestamp_ms = number(value);
    }
  }
}

struct ContextFree {
  void operator()(GMarkupParseContext* context) const { g_markup_parse_context_free(context); }
};

}  // namespace

const RelayStream* RelayStat::find_stream(std::string_view application,
                                          std::string_view name) const {
  for (const auto& stream : streams) {
    if (stream.application == application && stream.name == name) {
      return &stream;
    }
  }
  return nullptr;
}

std::optional<RelayStat> parse_rtmp_stat(std::string_view xml, std::string& error) {
  static const GMarkupParser parser{on_start, on_end, on_text, nullptr, nullptr};
  Reader reader;
  std::unique_ptr<GMarkupParseContext, ContextFree> context(
      g_markup_parse_context_new(&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &reader, nullptr));
  GError* raw = nullptr;
  const bool parsed = g_markup_parse_context_parse(context.get(), xml.data(),
                                                   static_cast<gssize>(xml.size()), &raw) &&
                      g_markup_parse_context_end_parse(context.get(), &raw);
  const ErrorPtr failure(raw);
  if (!parsed) {
    error = failure && failure->message ? failure->message : "unreadable XML";
    return std::nullopt;
  }
  if (!reader.rooted) {
    error = "an empty document";
    return std::nullopt;
  }
  return std::move(reader.stat);
}

}  // namespace hallcast::engine
