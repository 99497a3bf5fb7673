// Log lines fit for systemd's journal. When stderr is connected to the journal (systemd
// says so in JOURNAL_STREAM), each line starts with its syslog priority ("<3>" for an
// error), which journald takes as the entry's priority and strips, so that
// `journalctl -p warning` finds warnings; and it carries no timestamp of its own, since
// the journal stamps every entry. Anywhere else the log stays as it is.
#pragma once

#include <spdlog/logger.h>

namespace hallcast::app {

// JOURNAL_STREAM names the device and inode of stderr.
bool stderr_is_journal();

// Switches `logger`'s lines to the journal's form.
void use_journal_format(spdlog::logger& logger);

}  // namespace hallcast::app
