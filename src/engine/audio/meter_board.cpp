#include "engine/audio/meter_board.h"

#include <algorithm>
#include <cmath>

#include "engine/audio/audio_tracks.h"

namespace hallcast::engine {

namespace {

double floor_db(double db) {
  return std::isfinite(db) ? std::max(db, MeterBoard::kSilence) : MeterBoard::kSilence;
}

// The loudest channel of a `level` field (one dB value per channel).
double loudest(const GstStructure* s, const char* field) {
  const GValue* value = gst_structure_get_value(s, field);
  // `level` still posts GValueArray in 1.22 (the type's macro is deprecated, and warns
  // even inside the pragmas; its function does not).
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (value == nullptr || !G_VALUE_HOLDS(value, g_value_array_get_type())) {
    return MeterBoard::kSilence;
  }
  const auto* array = static_cast<const GValueArray*>(g_value_get_boxed(value));
  double db = MeterBoard::kSilence;
  for (guint i = 0; array != nullptr && i < array->n_values; ++i) {
    db = std::max(
        db,
        floor_db(g_value_get_double(g_value_array_get_nth(const_cast<GValueArray*>(array), i))));
  }
  G_GNUC_END_IGNORE_DEPRECATIONS
  return db;
}

}  // namespace

MeterBoard::MeterBoard(const config::Config& config) : languages_(config.languages()) {
  for (const auto& source : config.sources) {
    if (config::has_sound(source)) {
      inputs_.push_back(source.id);
    }
  }
}

void MeterBoard::take(GstMessage* message) {
  const GstStructure* s = gst_message_get_structure(message);
  GstObject* src = GST_MESSAGE_SRC(message);
  if (s == nullptr || !gst_structure_has_name(s, "level") || src == nullptr ||
      GST_OBJECT_NAME(src) == nullptr) {
    return;
  }
  const std::string name = GST_OBJECT_NAME(src);
  latest_[name] = {name, loudest(s, "peak"), loudest(s, "rms")};
}

show::Meters MeterBoard::read(const AudioTracks& tracks) const {
  show::Meters meters;
  auto reading = [&](const std::string& element, const std::string& id) {
    auto it = latest_.find(element);
    show::Level level = it == latest_.end() ? show::Level{} : it->second;
    level.id = id;
    return level;
  };
  for (const auto& id : inputs_) {
    meters.inputs.push_back(reading("level-" + id, id));
  }
  for (const auto& language : languages_) {
    meters.tracks.push_back(reading("level-track-" + language, language));
  }
  meters.loudness = loudness(tracks);
  return meters;
}

std::vector<show::TrackStatus> MeterBoard::loudness(const AudioTracks& tracks) const {
  std::vector<show::TrackStatus> result;
  for (const auto& language : languages_) {
    show::TrackStatus t{language};
    if (const auto* meter = tracks.loudness(language)) {
      t.momentary_lufs = floor_db(meter->momentary());
      t.short_term_lufs = floor_db(meter->short_term());
    }
    t.booth_speaking = tracks.booth_speaking(language);
    result.push_back(std::move(t));
  }
  return result;
}

}  // namespace hallcast::engine
