// The picture in place of a camera that delivers nothing: a title slate saying so (the
// config's captions.no_signal_text) over the camera's label, as an I420 frame in the
// programme's size, converted once from the title renderer's BGRA.
#pragma once

#include <string>

#include "engine/gst/gst_ptr.h"

namespace hallcast::engine {

// Null if the frame size cannot hold a caption.
BufferPtr render_slate(const std::string& text, const std::string& label, int width, int height);

}  // namespace hallcast::engine
