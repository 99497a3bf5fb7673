// Each of hallcast's own threads carries a name (at most 15 characters, the kernel's
// limit), so that top -H, pidstat -t, perf and a debugger say which one is busy or stuck.
#pragma once

namespace hallcast::common {

// Names the calling thread.
void name_this_thread(const char* name);

}  // namespace hallcast::common
