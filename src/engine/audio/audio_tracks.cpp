#include "engine/audio/audio_tracks.h"

#include "engine/audio/meter_board.h"
#include "engine/gst/build_error.h"
#include "engine/gst/gst_build.h"
#include "engine/gst/raw_format.h"

namespace hallcast::engine {

namespace {

// The limiter's ceiling. AAC overshoots what it is given by up to about 2 dB on a hard
// onset (a booth opening at full level), so the ceiling leaves that much room below
// full scale.
constexpr double kCeilingDb = -2.0;

// How long a mixer waits for a late input before it mixes without it. A live source's
// buffer is due one buffer (20 ms) after it starts; a busy machine has been seen to run
// a source's thread later than that, and a mixer that gave up put a gap in one track
// and not in the others. The mix leaves that much later; its time stamps are unchanged.
constexpr GstClockTime kMixerSlack = 60 * GST_MSECOND;

const std::string kPath = "audio";
constexpr int kChannels = kAudioChannels;

ElementPtr make_mixer(const std::string& name) {
  auto mixer = make_element("audiomixer", name, kPath);
  g_object_set(mixer.get(), "latency", kMixerSlack, "output-buffer-duration",
               GST_SECOND / kAudioBuffersPerSecond, nullptr);
  return mixer;
}

GstElement* add(GstBin* bin, ElementPtr element) {
  gst_bin_add(bin, element.get());  // the bin takes its own reference
  return element.get();
}

PadPtr src_pad(GstElement* element) {
  return adopt(gst_element_get_static_pad(element, "src"));
}

}  // namespace

AudioTracks::Language::Language(std::string c, int rate, const config::Source& source)
    : code(std::move(c)), detector(rate, source.vad_threshold_db), duck(rate, source.duck_db) {}

AudioTracks::AudioTracks(const config::Config& config, FailureSink& failures,
                         TestHooks::TrackAnalysis analyse)
    : config_(config), failures_(failures), analyse_(std::move(analyse)) {}

AudioTracks::~AudioTracks() = default;

GstElement* AudioTracks::add_level(GstBin* bin, GstElement* upstream, const std::string& name) {
  auto level = make_element("level", name, kPath);
  // A reading for every meter event the operator's panel gets.
  g_object_set(level.get(), "interval", static_cast<guint64>(kMeterInterval.count()) * GST_MSECOND,
               "post-messages", TRUE, nullptr);
  GstElement* l = add(bin, std::move(level));
  link_or_throw(upstream, l, kPath);
  return l;
}

void AudioTracks::add_probe(GstElement* element, bool writes, SampleProbe::Work work,
                            std::string_view part, std::string unit) {
  PadPtr pad = src_pad(element);
  probes_.push_back(
      std::make_unique<SampleProbe>(pad.get(), kChannels, writes, std::move(work),
                                    SampleProbe::Charge{&failures_, part, std::move(unit)}));
}

void AudioTracks::add_limiter(GstElement* element, const std::string& language) {
  auto limiter = std::make_unique<PeakLimiter>(config_.audio.sample_rate, kChannels, kCeilingDb);
  PeakLimiter* l = limiter.get();
  limiters_.push_back(std::move(limiter));
  add_probe(
      element, true, [l](float* samples, std::size_t frames) { l->process(samples, frames); },
      part::kAudio, language + " limiter");
}

void AudioTracks::add_loudness(GstElement* element, const std::string& language) {
  auto meter = std::make_unique<LoudnessMeter>(config_.audio.sample_rate, kChannels);
  LoudnessMeter* m = meter.get();
  loudness_[language] = std::move(meter);
  SampleProbe::Work work = [m](float* samples, std::size_t frames) { m->add(samples, frames); };
  if (analyse_) {
    work = [m, analyse = analyse_, language](float* samples, std::size_t frames) {
      analyse(language, frames);
      m->add(samples, frames);
    };
  }
  add_probe(element, false, std::move(work), part::kMeters, language + " loudness");
}

void AudioTracks::link_channel(const std::string& id, GstElement* upstream, GstElement* mixer) {
  PadPtr pad = adopt(gst_element_request_pad_simple(mixer, "sink_%u"));
  PadPtr src = src_pad(upstream);
  if (!pad || !src || gst_pad_link(src.get(), pad.get()) != GST_PAD_LINK_OK) {
    throw BuildError(kPath, "cannot link source " + id + " into its mixer");
  }
  auto channel = std::make_unique<Channel>();
  channel->pad = std::move(pad);
  channels_[id] = std::move(channel);
}

std::vector<std::pair<std::string, GstElement*>> AudioTracks::build(
    GstBin* bin, const std::map<std::string, GstElement*>& source_bins) {
  const int rate = config_.audio.sample_rate;
  CapsPtr raw = audio_caps(config_.audio);
  std::vector<std::pair<std::string, GstElement*>> tracks;

  GstElement* floor = add(bin, make_mixer("floor-mixer"));
  // The silence bed: the floor runs even with no microphone at all.
  GstElement* bed =
      add(bin, parse_bin("audiotestsrc is-live=true wave=silence samplesperbuffer=" +
                             std::to_string(rate / kAudioBuffersPerSecond) +
                             " ! capsfilter caps=\"" + audio_caps_text(config_.audio) + "\"",
                         "floor-bed", kPath));
  link_or_throw(bed, floor, kPath);
  for (const auto& source : config_.sources) {
    auto it = source_bins.find(source.id);
    if (source.kind == config::SourceKind::audio && it != source_bins.end()) {
      link_channel(source.id, add_level(bin, it->second, "level-" + source.id), floor);
    } else if (config::is_clip(source) && it != source_bins.end()) {
      // The meter reads the clip as it plays; the gate after it lets it into the floor.
      GstElement* level = add_level(bin, it->second, "level-" + source.id);
      link_channel(source.id, level, floor);
      Channel& channel = *channels_[source.id];
      channel.gate = std::make_unique<Gate>(rate);
      Gate* gate = channel.gate.get();
      add_probe(
          level, true,
          [gate](float* samples, std::size_t frames) { gate->process(samples, frames, kChannels); },
          part::kAudio, source.id + " gate");
    }
  }

  auto floor_format = make_element("capsfilter", "floor-format", kPath);
  g_object_set(floor_format.get(), "caps", raw.get(), nullptr);
  GstElement* f = add(bin, std::move(floor_format));
  link_or_throw(floor, f, kPath);
  add_limiter(f, "floor");
  GstElement* tee = add(bin, make_element("tee", "floor-tee", kPath));
  link_or_throw(f, tee, kPath);
  GstElement* floor_queue = add(bin, make_element("queue", "floor-track-queue", kPath));
  link_or_throw(tee, floor_queue, kPath);
  GstElement* floor_level = add_level(bin, floor_queue, "level-track-floor");
  add_loudness(floor_level, "floor");
  tracks.emplace_back("floor", floor_level);

  for (const auto& source : config_.sources) {
    auto it = source_bins.find(source.id);
    if (source.kind != config::SourceKind::interpretation || it == source_bins.end()) {
      continue;
    }
    const std::string& code = source.language;
    auto language = std::make_unique<Language>(code, rate, source);
    Language* l = language.get();

    GstElement* mixer = add(bin, make_mixer("mixer-" + code));
    // The booth: its level, and whether it speaks.
    GstElement* booth_level = add_level(bin, it->second, "level-" + source.id);
    link_channel(source.id, booth_level, mixer);
    l->booth = channels_[source.id].get();
    add_probe(
        booth_level, false,
        [l](float* samples, std::size_t frames) {
          // A muted booth is not speaking: the audience hears the full floor.
          const bool speaking =
              l->detector.update(samples, frames, kChannels) && !l->booth->muted.load();
          l->speaking.store(speaking, std::memory_order_relaxed);
        },
        part::kAudio, code + " voice");

    // The floor, ducked while the booth speaks.
    GstElement* queue = add(bin, make_element("queue", "floor-to-" + code, kPath));
    link_or_throw(tee, queue, kPath);
    add_probe(
        queue, true,
        [l](float* samples, std::size_t frames) {
          l->duck.set_ducked(l->speaking.load(std::memory_order_relaxed));
          l->duck.process(samples, frames, kChannels);
        },
        part::kAudio, code + " ducking");
    PadPtr floor_pad = src_pad(queue);
    PadPtr mixer_pad = adopt(gst_element_request_pad_simple(mixer, "sink_%u"));
    if (!mixer_pad || gst_pad_link(floor_pad.get(), mixer_pad.get()) != GST_PAD_LINK_OK) {
      throw BuildError(kPath, "cannot link the floor into the " + code + " track");
    }

    auto format = make_element("capsfilter", "mix-format-" + code, kPath);
    g_object_set(format.get(), "caps", raw.get(), nullptr);
    GstElement* t = add(bin, std::move(format));
    link_or_throw(mixer, t, kPath);
    add_limiter(t, code);
    GstElement* track_level = add_level(bin, t, "level-track-" + code);
    add_loudness(track_level, code);
    tracks.emplace_back(code, track_level);
    languages_.push_back(std::move(language));
  }
  return tracks;
}

bool AudioTracks::set_channel(std::string_view source_id, double gain_db, bool muted) {
  auto it = channels_.find(source_id);
  if (it == channels_.end()) {
    return false;
  }
  it->second->muted.store(muted);
  g_object_set(it->second->pad.get(), "volume", db_to_gain(gain_db), "mute", muted ? TRUE : FALSE,
               nullptr);
  return true;
}

bool AudioTracks::set_clip_on_air(std::string_view source_id, bool on_air, double ramp_ms) {
  auto it = channels_.find(source_id);
  if (it == channels_.end() || !it->second->gate) {
    return false;
  }
  it->second->gate->set_open(on_air, ramp_ms);
  return true;
}

const LoudnessMeter* AudioTracks::loudness(std::string_view language) const {
  auto it = loudness_.find(language);
  return it == loudness_.end() ? nullptr : it->second.get();
}

void AudioTracks::restart(std::string_view part, const std::string& unit) {
  for (const auto& probe : probes_) {
    if (probe->charge().part != part || probe->charge().unit != unit) {
      continue;
    }
    if (part == part::kMeters) {
      // The analysis that failed may have left its state broken: measure afresh.
      for (const auto& [language, meter] : loudness_) {
        if (unit == language + " loudness") {
          meter->reset();
        }
      }
    }
    probe->resume();
  }
}

bool AudioTracks::booth_speaking(std::string_view language) const {
  for (const auto& l : languages_) {
    if (l->code == language) {
      return l->speaking.load();
    }
  }
  return false;
}

}  // namespace hallcast::engine
