// Stand-ins a test may give the engine (EngineOptions::test_hooks) to make one of its
// optional branches fail for real where nothing real can: the caption renderer and the
// loudness analysis throw only on a bug. hallcast never sets them; left empty, the
// engine runs its own code and they cost nothing, not even a check per buffer.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "engine/video/caption_renderer.h"
#include "show/state.h"

namespace hallcast::engine {

struct TestHooks {
  // Draws an overlay's picture in place of the house renderer (video/overlay_deck.h):
  // the overlay, a countdown's time left, the programme's width and height.
  using CaptionRender = std::function<CaptionImage(const show::OverlayStatus&,
                                                   const std::string& remaining, int, int)>;
  CaptionRender render_caption;

  // Runs on each programme track's samples, on the streaming thread, before they are
  // measured for loudness.
  using TrackAnalysis = std::function<void(const std::string& language, std::size_t frames)>;
  TrackAnalysis analyse_track;
};

}  // namespace hallcast::engine
