// An optional branch of a pipeline (a multiview thumbnail encoder) whose failures stay
// its own. The branch is a bin entered through a ghost sink pad; the guard on that pad
// keeps everything the branch does from travelling back upstream:
//
// - every flow return becomes OK (an encoder's error, a refused format, a flushing
//   branch being replaced): a tee stops all its branches when one returns anything
//   else, and a queue that sees an error stops for good, so one broken thumbnail would
//   stop the programme;
// - a refused event (the caps it cannot take) counts as taken;
// - caps queries are answered "anything": the branch converts what it gets, and a
//   template that takes too little must not narrow what the programme negotiates.
//
// The first failure the guard swallows is reported once, on the streaming thread.
#pragma once

#include <gst/gst.h>

#include <functional>
#include <string>

namespace hallcast::engine {

// Guard `ghost_sink` (a bin's ghost sink pad). `on_failure` gets a description of the
// first failure and must not block; exceptions from it are dropped.
void guard_branch(GstPad* ghost_sink, std::function<void(const std::string&)> on_failure);

}  // namespace hallcast::engine
