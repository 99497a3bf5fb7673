#include "engine/outputs/record_destination.h"

#include <ctime>

#include "engine/outputs/file_progress.h"

namespace hallcast::engine {

namespace {

std::string file_extension(GstElement* mux) {
  std::string factory = factory_name(mux);
  if (factory == "splitmuxsink") {
    gchar* raw = nullptr;
    g_object_get(mux, "muxer-factory", &raw, nullptr);
    CharPtr muxer(raw);
    factory = muxer ? muxer.get() : "mp4mux";
  }
  if (factory == "matroskamux")
    return "mkv";
  if (factory == "mpegtsmux")
    return "ts";
  if (factory == "mp4mux" || factory == "qtmux")
    return "mp4";
  if (factory == "flvmux")
    return "flv";
  return "bin";
}

std::string timestamp_now() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%d-%H%M%S", &local);
  return text;
}

// Every write goes straight to the file: what the file holds is what the recording
// has, at every tick (that is what says it is live) and after a crash. A muxed
// programme is a few writes per frame, nothing a disk notices.
void write_through(GstElement* sink) {
  if (factory_name(sink) == "splitmuxsink") {
    GstElement* raw = nullptr;
    g_object_get(sink, "sink", &raw, nullptr);
    ElementPtr own = adopt(raw);
    if (!own) {
      ElementPtr file = sink_floating(gst_element_factory_make("filesink", nullptr));
      if (file) {
        gst_util_set_object_arg(G_OBJECT(file.get()), "buffer-mode", "unbuffered");
        g_object_set(sink, "sink", file.get(), nullptr);
      }
    }
  } else if (factory_name(sink) == "filesink") {
    gst_util_set_object_arg(G_OBJECT(sink), "buffer-mode", "unbuffered");
  }
}

}  // namespace

RecordDestination::RecordDestination(DestinationContext context)
    : Destination(std::move(context)) {}

std::string RecordDestination::prepare() {
  std::error_code ec;
  std::filesystem::create_directories(config().path, ec);
  if (ec) {
    return "cannot create folder " + scrub(config().path) + ": " + ec.message();
  }
  return {};
}

BuiltPipeline RecordDestination::build(const std::vector<std::string>& languages) {
  Muxed muxed = build_muxed(languages, false);
  GstElement* sink = muxed.sink.get();
  files_.reset();
  if (has_property(sink, "location")) {
    // splitmuxsink numbers its files itself.
    const bool numbered = factory_name(sink) == "splitmuxsink";
    const std::string extension = "." + file_extension(muxed.mux.get());
    const std::string base =
        (std::filesystem::path(config().path) / (config().id + "-" + timestamp_now())).string();
    // Two attempts within a second must not share a file.
    std::string stem = base;
    for (int n = 1;; ++n) {
      files_.emplace(numbered ? stem + "-" : stem, numbered ? 3 : 0, extension);
      std::error_code ec;
      if (!std::filesystem::exists(files_->name(0), ec)) {
        break;
      }
      stem = base + "-" + std::to_string(n);
    }
    const std::string location = numbered ? stem + "-%03d" + extension : stem + extension;
    g_object_set(sink, "location", location.c_str(), nullptr);
    write_through(sink);
  }
  return std::move(muxed.built);
}

std::string RecordDestination::describe() const {
  return "writing " + (files_ ? scrub(files_->name(0).string()) : std::string("?"));
}

std::unique_ptr<ProgressSensor> RecordDestination::sensor(BuiltPipeline& built, FeedSession&) {
  std::vector<NumberedFiles*> files;
  if (files_) {
    files.push_back(&*files_);
  }
  return std::make_unique<FileProgress>(built.feeds, std::move(files));
}

void RecordDestination::after_attempt() {
  if (files_) {
    files_->remove_empty();
  }
}

}  // namespace hallcast::engine
