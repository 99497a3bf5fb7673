#include "engine/programme.h"

#include <gst/app/gstappsink.h>

#include <array>
#include <cmath>
#include <variant>

#include "engine/gst/build_error.h"
#include "engine/gst/gst_build.h"
#include "engine/outputs/srt_uri.h"
#include "engine/video/scene_layout.h"

namespace hallcast::engine {

namespace {

constexpr int kChannels = 2;
// What avenc_aac (pipelines/encode-audio.pipeline) puts before the first sample: one
// AAC frame of priming. Another encoder in that template may need another figure.
constexpr int kAacPrimingSamples = 1024;

std::string source_path(std::size_t index) {
  return "sources[" + std::to_string(index) + "]";
}

std::string number(double value) {
  // Enough digits for a frequency or a volume; no locale, no exponent.
  char text[64];
  g_ascii_formatd(text, sizeof text, "%.6f", value);
  return text;
}

// A template rendered for the config value at `path`.
std::string render(const PipelineTemplates& templates, std::string_view name,
                   const TemplateValues& values, const std::string& path) {
  try {
    return templates.render(name, values);
  } catch (const TemplateError& e) {
    throw BuildError(path, e.what());
  }
}

std::string raw_audio_caps(int rate) {
  return "audio/x-raw,format=F32LE,layout=interleaved,rate=" + std::to_string(rate) +
         ",channels=" + std::to_string(kChannels);
}

// What a source template gets as `{location}`.
std::string input_location(const config::MediaUri& media) {
  return media.scheme == "srt" ? srt_uri(media.location).uri : media.location;
}

}  // namespace

Programme::Programme(const config::Config& config, const PipelineTemplates& templates,
                     std::function<void(const std::string&, Multiview::Jpeg)> on_thumbnail)
    : config_(config),
      templates_(templates),
      languages_(config.languages()),
      mixer_(config, {&latency_, &mixer_latency_}),
      captions_(config),
      multiview_(
          config.video.width, config.video.height,
          on_thumbnail ? std::move(on_thumbnail) : [](const std::string&, Multiview::Jpeg) {}),
      audio_(config) {}

Programme::~Programme() = default;

StreamTap* Programme::audio_tap(std::string_view language) {
  auto it = audio_taps_.find(language);
  return it == audio_taps_.end() ? nullptr : it->second.get();
}

GstElement* Programme::add(ElementPtr element) {
  gst_bin_add(pipeline_.bin(), element.get());  // the bin takes its own reference
  return element.get();                         // still alive: the bin holds it
}

std::vector<config::Problem> Programme::build() {
  problems_.clear();
  pipeline_ = PipelineOwner(sink_floating(gst_pipeline_new("programme")));
  try {
    build_video();
  } catch (const BuildError& e) {
    problems_.push_back(e.problem());
  }
  try {
    build_audio();
  } catch (const BuildError& e) {
    problems_.push_back(e.problem());
  }
  return problems_;
}

void Programme::build_video() {
  const auto& v = config_.video;
  std::vector<GstElement*> tees;
  std::size_t index = 0;
  for (const auto& source : config_.sources) {
    if (source.kind == config::SourceKind::video) {
      try {
        GstElement* bin = build_video_source(index, source);
        auto tee = make_element("tee", "tee-" + source.id, "video");
        GstElement* t = add(std::move(tee));
        link_or_throw(bin, t, source_path(index) + ".uri");
        multiview_.add_feed(pipeline_.bin(), t, "source:" + source.id, "video");
        tees.push_back(t);
      } catch (const BuildError& e) {
        problems_.push_back(e.problem());
      }
    }
    ++index;
  }
  if (!problems_.empty()) {
    return;
  }

  std::array<GstElement*, 2> buses{};
  GstElement* mixer = mixer_.build(pipeline_.bin(), tees, buses);
  multiview_.add_feed(pipeline_.bin(), buses[0], "bus0", "video");
  multiview_.add_feed(pipeline_.bin(), buses[1], "bus1", "video");
  multiview_.set_feed_wanted("bus0", false);  // on air: not the preview

  auto caps = make_element("capsfilter", "programme-format", "video");
  CapsPtr raw(gst_caps_new_simple("video/x-raw", "format", G_TYPE_STRING, "I420", "width",
                                  G_TYPE_INT, v.width, "height", G_TYPE_INT, v.height, "framerate",
                                  GST_TYPE_FRACTION, v.fps, 1, nullptr));
  g_object_set(caps.get(), "caps", raw.get(), nullptr);
  auto captions = captions_.make_element("overlays");
  auto tee = make_element("tee", "programme-tee", "video");
  // The encoder gets its own thread, so a slow frame never holds up the mixer.
  auto queue = make_element("queue", "encode-video-queue", "video");
  g_object_set(queue.get(), "max-size-buffers", 3, "max-size-bytes", 0, "max-size-time", guint64{0},
               nullptr);
  const auto text = render(templates_, "encode-video",
                           {{"bitrate_kbps", std::to_string(v.bitrate_kbps)},
                            {"keyframe_frames", std::to_string(v.keyframe_interval_frames())}},
                           "video");
  auto encoder = parse_bin(text, "encode-video", "video");
  auto sink = make_element("appsink", "tap-video", "video");
  CapsPtr h264(gst_caps_from_string("video/x-h264,stream-format=avc,alignment=au"));
  g_object_set(sink.get(), "caps", h264.get(), "sync", FALSE, "max-buffers", 0, nullptr);

  GstElement* c = add(std::move(caps));
  GstElement* o = add(std::move(captions));
  GstElement* t = add(std::move(tee));
  GstElement* q = add(std::move(queue));
  GstElement* e = add(std::move(encoder));
  GstElement* s = add(std::move(sink));
  link_or_throw(mixer, c, "video");
  // Each mixed frame closes the switches it shows (the compositor-output latency).
  PadPtr mixed = adopt(gst_element_get_static_pad(c, "src"));
  mixer_output_probe_ =
      PadProbe(mixed.get(),
               gst_pad_add_probe(
                   mixed.get(), GST_PAD_PROBE_TYPE_BUFFER,
                   [](GstPad* pad, GstPadProbeInfo* info, gpointer data) {
                     GstBuffer* buffer = GST_PAD_PROBE_INFO_BUFFER(info);
                     EventPtr segment_event(gst_pad_get_sticky_event(pad, GST_EVENT_SEGMENT, 0));
                     if (segment_event) {
                       const GstSegment* segment = nullptr;
                       gst_event_parse_segment(segment_event.get(), &segment);
                       static_cast<SwitchLatency*>(data)->on_encoded(gst_segment_to_running_time(
                           segment, GST_FORMAT_TIME, GST_BUFFER_PTS(buffer)));
                     }
                     return GST_PAD_PROBE_OK;
                   },
                   &mixer_latency_, nullptr));
  link_or_throw(c, o, "video");
  link_or_throw(o, t, "video");
  link_or_throw(t, q, "video");
  link_or_throw(q, e, "video");
  link_or_throw(e, s, "video");
  multiview_.add_feed(pipeline_.bin(), t, "program", "video");

  video_tap_ = std::make_unique<StreamTap>("video");
  video_tap_->count_gaps(gst_util_uint64_scale_int(GST_SECOND, 1, v.fps));
  video_tap_->measure(&latency_);
  video_tap_->attach(s);
}

GstElement* Programme::build_video_source(std::size_t index, const config::Source& source) {
  const auto path = source_path(index) + ".uri";
  const auto& v = config_.video;
  std::string text;
  if (const auto* test = std::get_if<config::TestVideoUri>(&source.uri)) {
    text = render(templates_, "source-test-video",
                  {{"pattern", test->pattern},
                   {"width", std::to_string(v.width)},
                   {"height", std::to_string(v.height)},
                   {"fps", std::to_string(v.fps)}},
                  path);
  } else if (const auto* media = std::get_if<config::MediaUri>(&source.uri)) {
    const std::string name = "source-" + media->scheme + "-video";
    if (!templates_.has(name)) {
      throw BuildError(path, "no pipeline for \"" + media->scheme + "\" video sources (" +
                                 templates_.path_of(name).string() + ")");
    }
    text = render(templates_, name,
                  {{"location", input_location(*media)},
                   {"width", std::to_string(v.width)},
                   {"height", std::to_string(v.height)},
                   {"fps", std::to_string(v.fps)}},
                  path);
    CapsPtr caps(gst_caps_new_simple("video/x-raw", "format", G_TYPE_STRING, "I420", "width",
                                     G_TYPE_INT, v.width, "height", G_TYPE_INT, v.height,
                                     "framerate", GST_TYPE_FRACTION, v.fps, 1, nullptr));
    return add_input(source, path, text, caps.get(), true);
  } else {
    throw BuildError(path, "not a video source");
  }
  auto bin = parse_bin(text, "source-" + source.id, path);
  GstElement* b = add(std::move(bin));
  const auto* test = std::get_if<config::TestVideoUri>(&source.uri);
  if (test != nullptr && test->flash_s > 0.0) {
    PadPtr src = adopt(gst_element_get_static_pad(b, "src"));
    flashes_.push_back(
        std::make_unique<TestVideoFlash>(src.get(), v.width, v.height, test->flash_s));
  }
  return b;
}

void Programme::build_audio() {
  std::map<std::string, GstElement*> bins;
  std::size_t index = 0;
  for (const auto& source : config_.sources) {
    if (source.kind != config::SourceKind::video) {
      try {
        bins[source.id] = build_audio_source(index, source);
      } catch (const BuildError& e) {
        problems_.push_back(e.problem());
      }
    }
    ++index;
  }
  if (!problems_.empty()) {
    return;
  }
  for (const auto& [language, element] : audio_.build(pipeline_.bin(), bins)) {
    build_track(language, element);
  }
}

bool Programme::set_channel(std::string_view source_id, double gain_db, bool muted) {
  return audio_.set_channel(source_id, gain_db, muted);
}

GstElement* Programme::build_audio_source(std::size_t index, const config::Source& source) {
  const auto path = source_path(index) + ".uri";
  const int rate = config_.audio.sample_rate;
  std::string text;
  const config::TestAudioUri* test = std::get_if<config::TestAudioUri>(&source.uri);
  if (test != nullptr) {
    text = render(templates_, "source-test-audio",
                  {{"freq", number(test->freq)},
                   {"volume", number(test->volume)},
                   {"samples_per_buffer", std::to_string(rate / 100)},
                   {"rate", std::to_string(rate)}},
                  path);
  } else if (const auto* media = std::get_if<config::MediaUri>(&source.uri)) {
    const std::string name = "source-" + media->scheme + "-audio";
    if (!templates_.has(name)) {
      throw BuildError(path, "no pipeline for \"" + media->scheme + "\" audio sources (" +
                                 templates_.path_of(name).string() + ")");
    }
    text = render(templates_, name,
                  {{"location", input_location(*media)}, {"rate", std::to_string(rate)}}, path);
    CapsPtr caps(gst_caps_from_string(raw_audio_caps(rate).c_str()));
    return add_input(source, path, text, caps.get(), false);
  } else {
    throw BuildError(path, "not an audio source");
  }
  auto bin = parse_bin(text, "source-" + source.id, path);
  GstElement* b = add(std::move(bin));
  if (test != nullptr && test->on_s > 0.0 && test->off_s > 0.0) {
    PadPtr src = adopt(gst_element_get_static_pad(b, "src"));
    if (src) {
      gates_.push_back(
          std::make_unique<TestAudioGate>(src.get(), rate, kChannels, test->on_s, test->off_s));
    }
  }
  return b;
}

// A real input enters through an appsrc; its ingest pipeline runs apart (LiveInput).
// The description is parsed here once so that `check` reports a broken template.
GstElement* Programme::add_input(const config::Source& source, const std::string& path,
                                 const std::string& description, GstCaps* caps, bool video) {
  parse_pipeline(description + " ! fakesink", "check-" + source.id, path);
  const auto* media = std::get_if<config::MediaUri>(&source.uri);
  LiveInputOptions options;
  options.id = source.id;
  options.label = source.label;
  options.video = video;
  options.loop = media != nullptr && media->scheme == "file";
  options.description = description;
  options.path = path;
  options.width = config_.video.width;
  options.height = config_.video.height;
  options.fps = config_.video.fps;
  inputs_.push_back(std::move(options));
  return add(LiveInput::make_programme_source("input-" + source.id, caps, video));
}

void Programme::build_track(const std::string& language, GstElement* upstream) {
  const std::string path = "audio";
  const int rate = config_.audio.sample_rate;
  auto queue = make_element("queue", "encode-" + language + "-queue", path);
  auto caps = make_element("capsfilter", "track-format-" + language, path);
  CapsPtr raw(gst_caps_from_string(raw_audio_caps(rate).c_str()));
  g_object_set(caps.get(), "caps", raw.get(), nullptr);
  const auto text =
      render(templates_, "encode-audio",
             {{"bitrate_bps", std::to_string(config_.audio.bitrate_kbps * 1000)}}, path);
  auto encoder = parse_bin(text, "encode-" + language, path);
  auto sink = make_element("appsink", "tap-" + language, path);
  CapsPtr aac(gst_caps_from_string("audio/mpeg,mpegversion=4,stream-format=raw"));
  g_object_set(sink.get(), "caps", aac.get(), "sync", FALSE, "max-buffers", 0, nullptr);

  GstElement* c = add(std::move(caps));
  GstElement* q = add(std::move(queue));
  GstElement* e = add(std::move(encoder));
  GstElement* s = add(std::move(sink));
  link_or_throw(upstream, c, path);
  link_or_throw(c, q, path);
  link_or_throw(q, e, path);
  link_or_throw(e, s, path);

  auto tap = std::make_unique<StreamTap>(language);
  tap->lead_by(gst_util_uint64_scale_int(GST_SECOND, kAacPrimingSamples, rate));
  tap->attach(s);
  audio_taps_[language] = std::move(tap);
}

}  // namespace hallcast::engine
