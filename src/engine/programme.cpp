#include "engine/programme.h"

#include <gst/app/gstappsink.h>

#include <array>
#include <cmath>
#include <variant>

#include "engine/gst/build_error.h"
#include "engine/gst/gst_build.h"
#include "engine/gst/raw_format.h"
#include "engine/outputs/srt_uri.h"
#include "engine/video/scene_layout.h"

namespace hallcast::engine {

namespace {

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

// What every source template may use: the programme's raw format whole (what its
// chain must end in), and its parts for a template that builds its own caps.
TemplateValues video_format_values(const config::Video& v) {
  return {{"video_caps", video_caps_text(v)},
          {"width", std::to_string(v.width)},
          {"height", std::to_string(v.height)},
          {"fps", std::to_string(v.fps)}};
}

TemplateValues audio_format_values(const config::Audio& a) {
  return {{"audio_caps", audio_caps_text(a)}, {"rate", std::to_string(a.sample_rate)}};
}

// What a source template gets as `{location}`.
std::string input_location(const config::MediaUri& media) {
  return media.scheme == "srt" ? srt_uri(media.location).uri : media.location;
}

}  // namespace

Programme::Programme(const config::Config& config, const PipelineTemplates& templates,
                     FailureSink& failures,
                     std::function<void(const std::string&, Multiview::Jpeg)> on_thumbnail,
                     const TestHooks& hooks)
    : config_(config),
      templates_(templates),
      failures_(failures),
      languages_(config.languages()),
      mixer_(config, {&latency_, &mixer_latency_}, failures),
      captions_(failures),
      multiview_(
          config.video, templates, failures,
          on_thumbnail ? std::move(on_thumbnail) : [](const std::string&, Multiview::Jpeg) {}),
      audio_(config, failures, hooks.analyse_track) {}

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
  g_object_set(caps.get(), "caps", video_caps(v).get(), nullptr);
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
  mixer_output_probe_ = PadProbe::add(mixed.get(), GST_PAD_PROBE_TYPE_BUFFER, &on_mixed, this);
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

GstPadProbeReturn Programme::on_mixed(GstPad* pad, GstPadProbeInfo* info, gpointer data) {
  auto* self = static_cast<Programme*>(data);
  contain(&self->failures_, part::kMixer, "switch latency", [&] {
    EventPtr segment_event(gst_pad_get_sticky_event(pad, GST_EVENT_SEGMENT, 0));
    if (segment_event) {
      const GstSegment* segment = nullptr;
      gst_event_parse_segment(segment_event.get(), &segment);
      self->mixer_latency_.on_encoded(gst_segment_to_running_time(
          segment, GST_FORMAT_TIME, GST_BUFFER_PTS(GST_PAD_PROBE_INFO_BUFFER(info))));
    }
  });
  return GST_PAD_PROBE_OK;
}

GstElement* Programme::build_video_source(std::size_t index, const config::Source& source) {
  const auto path = source_path(index) + ".uri";
  const auto& v = config_.video;
  std::string text;
  TemplateValues values = video_format_values(v);
  if (const auto* test = std::get_if<config::TestVideoUri>(&source.uri)) {
    values["pattern"] = test->pattern;
    text = render(templates_, "source-test-video", values, path);
  } else if (const auto* media = std::get_if<config::MediaUri>(&source.uri)) {
    const std::string name = "source-" + media->scheme + "-video";
    if (!templates_.has(name)) {
      throw BuildError(path, "no pipeline for \"" + media->scheme + "\" video sources (" +
                                 templates_.path_of(name).string() + ")");
    }
    values["location"] = input_location(*media);
    if (config::is_clip(source)) {
      // A clip brings its sound too.
      values.merge(audio_format_values(config_.audio));
      text = render(templates_, name, values, path);
      return add_clip(source, path, text);
    }
    text = render(templates_, name, values, path);
    return add_input(source, path, text, true);
  } else {
    throw BuildError(path, "not a video source");
  }
  auto bin = parse_bin(text, "source-" + source.id, path);
  GstElement* b = add(std::move(bin));
  const auto* test = std::get_if<config::TestVideoUri>(&source.uri);
  if (test != nullptr && test->flash_s > 0.0) {
    PadPtr src = adopt(gst_element_get_static_pad(b, "src"));
    flashes_.push_back(
        std::make_unique<TestVideoFlash>(src.get(), v.width, v.height, test->flash_s, &failures_));
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
  for (const auto& [id, sound] : clip_sound_) {
    bins[id] = sound;
  }
  if (!problems_.empty()) {
    return;
  }
  for (const auto& [language, element] : audio_.build(pipeline_.bin(), bins)) {
    build_track(language, element);
  }
}

GstElement* Programme::build_audio_source(std::size_t index, const config::Source& source) {
  const auto path = source_path(index) + ".uri";
  const int rate = config_.audio.sample_rate;
  std::string text;
  TemplateValues values = audio_format_values(config_.audio);
  const config::TestAudioUri* test = std::get_if<config::TestAudioUri>(&source.uri);
  if (test != nullptr) {
    values["freq"] = number(test->freq);
    values["volume"] = number(test->volume);
    values["samples_per_buffer"] = std::to_string(rate / kAudioBuffersPerSecond);
    text = render(templates_, "source-test-audio", values, path);
  } else if (const auto* media = std::get_if<config::MediaUri>(&source.uri)) {
    const std::string name = "source-" + media->scheme + "-audio";
    if (!templates_.has(name)) {
      throw BuildError(path, "no pipeline for \"" + media->scheme + "\" audio sources (" +
                                 templates_.path_of(name).string() + ")");
    }
    values["location"] = input_location(*media);
    text = render(templates_, name, values, path);
    return add_input(source, path, text, false);
  } else {
    throw BuildError(path, "not an audio source");
  }
  auto bin = parse_bin(text, "source-" + source.id, path);
  GstElement* b = add(std::move(bin));
  if (test != nullptr && test->on_s > 0.0 && test->off_s > 0.0) {
    PadPtr src = adopt(gst_element_get_static_pad(b, "src"));
    if (src) {
      gates_.push_back(std::make_unique<TestAudioGate>(src.get(), rate, kAudioChannels, test->on_s,
                                                       test->off_s, &failures_));
    }
  }
  return b;
}

// A real input enters through an appsrc; its ingest pipeline runs apart (LiveInput).
// The description is parsed here once so that `check` reports a broken template.
GstElement* Programme::add_input(const config::Source& source, const std::string& path,
                                 const std::string& description, bool video) {
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
  options.slate_text = config_.captions.no_signal_text;
  inputs_.push_back(std::move(options));
  CapsPtr caps = video ? video_caps(config_.video) : audio_caps(config_.audio);
  return add(LiveInput::make_programme_source("input-" + source.id, caps.get(), video));
}

// A clip enters through two appsrcs, its picture and its sound; its ingest runs apart
// (ClipInput). The description is parsed here once so that `check` reports a broken
// template, or one without the two appsinks a clip needs.
GstElement* Programme::add_clip(const config::Source& source, const std::string& path,
                                const std::string& description) {
  ElementPtr check = parse_pipeline(description, "check-" + source.id, path);
  child_by_name(check.get(), ClipInput::kVideoSink, path);
  child_by_name(check.get(), ClipInput::kAudioSink, path);
  ClipOptions options;
  options.id = source.id;
  options.label = source.label;
  options.description = description;
  options.path = path;
  options.loop = source.loop;
  options.width = config_.video.width;
  options.height = config_.video.height;
  options.fps = config_.video.fps;
  options.slate_text = config_.captions.no_signal_text;
  clips_.push_back(std::move(options));
  clip_sound_[source.id] = add(LiveInput::make_programme_source(
      "input-" + source.id + "-audio", audio_caps(config_.audio).get(), false));
  return add(LiveInput::make_programme_source("input-" + source.id, video_caps(config_.video).get(),
                                              true));
}

GstClockTime Programme::running_time_at(config::WallTime when) const {
  if (!pipeline_) {
    return 0;
  }
  GstState state = GST_STATE_NULL;
  gst_element_get_state(pipeline_.get(), &state, nullptr, 0);
  ClockPtr clock(gst_pipeline_get_clock(GST_PIPELINE(pipeline_.get())));
  const GstClockTime base = gst_element_get_base_time(pipeline_.get());
  if (state != GST_STATE_PLAYING || !clock) {
    return 0;
  }
  const GstClockTime now = gst_clock_get_time(clock.get());
  const auto ahead =
      when - std::chrono::time_point_cast<std::chrono::milliseconds>(config::WallClock::now());
  const gint64 running = static_cast<gint64>(now) - static_cast<gint64>(base) +
                         static_cast<gint64>(ahead.count()) * GST_MSECOND;
  return running > 0 ? static_cast<GstClockTime>(running) : 0;
}

void Programme::build_track(const std::string& language, GstElement* upstream) {
  const std::string path = "audio";
  const int rate = config_.audio.sample_rate;
  auto queue = make_element("queue", "encode-" + language + "-queue", path);
  auto caps = make_element("capsfilter", "track-format-" + language, path);
  g_object_set(caps.get(), "caps", audio_caps(config_.audio).get(), nullptr);
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
