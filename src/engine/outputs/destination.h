// One kind of destination — RTMP, SRT, a recording, HLS — as far as it differs from the
// others: how to build the pipeline of one attempt, where that attempt goes, and how
// its progress is measured. Everything the kinds have in common — going on the air,
// backing off, noticing stalls, the state the operator sees — is the lifecycle's
// (OutputUnit), written once for all of them.
//
// A destination object lives as long as its output; the lifecycle builds a fresh
// pipeline from it for every attempt. All methods run on the engine thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/redactor.h"
#include "config/config.h"
#include "engine/gst/gst_ptr.h"
#include "engine/gst/pipeline_templates.h"
#include "engine/outputs/feed_session.h"
#include "engine/outputs/progress_sensor.h"

namespace hallcast::engine {

// What every kind of destination builds from.
struct DestinationContext {
  const config::Output& config;
  std::string path;  // "outputs[i]": where build errors point
  std::string key;   // the stream key, or empty: never logged
  const PipelineTemplates& templates;
  const config::Video& video;
  const config::Audio& audio;
  const common::Redactor& redactor;
  // The programme's tracks, "floor" first.
  std::vector<std::string> languages;
};

// The pipeline of one attempt, still in NULL.
struct BuiltPipeline {
  PipelineOwner pipeline;
  // The appsrc of each feed, owned by the pipeline: the video, then one per language.
  std::vector<GstElement*> feeds;
};

class Destination {
 public:
  explicit Destination(DestinationContext context) : context_(std::move(context)) {}
  virtual ~Destination() = default;
  Destination(const Destination&) = delete;
  Destination& operator=(const Destination&) = delete;

  // SRT, recordings and HLS carry every language track; RTMP carries one.
  virtual bool carries_every_language() const { return true; }
  // Why the destination will not start by itself (no key…); empty when it can.
  virtual std::string unstartable_reason() const { return {}; }
  // Before each attempt: what it needs outside its pipeline (folders). A problem is
  // returned, not thrown, and is tried again like any other failure.
  virtual std::string prepare() { return {}; }
  // The pipeline of one attempt carrying `languages`. Throws BuildError when the
  // template cannot build: that does not mend by trying again.
  virtual BuiltPipeline build(const std::vector<std::string>& languages) = 0;
  // Once built, before it plays: what is written next to it (a master playlist). A
  // problem is tried again.
  virtual std::string before_play() { return {}; }
  // Where the attempt built last goes, for the log (no secrets).
  virtual std::string describe() const = 0;
  // How the attempt built last measures its progress. `session` feeds its pipeline and
  // outlives the sensor.
  virtual std::unique_ptr<ProgressSensor> sensor(BuiltPipeline& built, FeedSession& session) = 0;
  // After the attempt's pipeline is gone: tidy what it left behind (an empty file).
  virtual void after_attempt() {}

 protected:
  const config::Output& config() const { return context_.config; }
  const DestinationContext& context() const { return context_; }
  std::string scrub(const std::string& text) const { return context_.redactor.scrub(text); }

  // The output's template (`pipelines/output-<type>.pipeline`) with `values` filled in.
  std::string render(const TemplateValues& values) const;
  // An appsrc for the video (`language` empty) or one language track, linked into `mux`
  // of `bin`; returns the appsrc. MPEG-TS takes its H.264 as a byte stream.
  GstElement* add_feed(GstBin* bin, const std::string& language, GstElement* mux,
                       bool transport_stream) const;

  // A pipeline from the template with one element named `mux` taking the video and
  // every track in `languages`; the element named `sink` (or the muxer itself, when it
  // writes its own files) is kept in `sink`.
  struct Muxed {
    BuiltPipeline built;
    ElementPtr mux;
    ElementPtr sink;
  };
  Muxed build_muxed(const std::vector<std::string>& languages, bool transport_stream) const;

 private:
  DestinationContext context_;
};

// The destination for `context.config.type`.
std::unique_ptr<Destination> make_destination(DestinationContext context);

// Small helpers the kinds share.
bool has_property(GstElement* element, const char* name);
std::string factory_name(GstElement* element);

}  // namespace hallcast::engine
