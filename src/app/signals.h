// How signals end `hallcast run`: never without finalising.
//
// Every catchable signal whose default action would end the process (SIGINT, SIGTERM,
// SIGHUP from a closed terminal or SSH session, SIGQUIT, SIGUSR1/2, SIGALRM, SIGXCPU,
// the real-time signals, …) becomes a clean stop: it is blocked in every thread and
// the main loop takes it with sigtimedwait. SIGPIPE and SIGXFSZ are ignored (a closed
// socket or a full file are errors the code handles). Left as they are: SIGKILL and
// SIGSTOP, which cannot be caught (the state folder is there for SIGKILL), and the
// signals that mean the process itself is broken — SIGSEGV, SIGBUS, SIGILL, SIGFPE,
// SIGTRAP, SIGSYS and SIGABRT (abort(), and systemd's watchdog asking for a core dump):
// running a shutdown in a broken process would only hang or corrupt more.
//
// A SIGHUP ignored by whoever started hallcast (nohup) stays ignored: that is what
// nohup asks for.
#pragma once

#include <signal.h>

#include <chrono>
#include <string>

namespace hallcast::app {

class StopSignals {
 public:
  // Blocks the stop signals in the calling thread and sets their default action (a
  // script's background job inherits SIGINT ignored). Call before any other thread
  // exists, so that every thread inherits the mask.
  StopSignals();

  // The next stop signal, or 0 when none came within `timeout`.
  int wait(std::chrono::milliseconds timeout) const;

  // Logs what is not a stop signal this time (SIGHUP under nohup); once logging is set
  // up.
  void log_exceptions() const;

 private:
  sigset_t set_;
  bool hup_ignored_ = false;
};

// "SIGHUP", "SIGRTMIN+3", …
std::string signal_name(int signal);

// Raises the soft limit on open files to the hard limit, so that a flood of
// connections cannot leave the show without descriptors for its own files and
// sockets; logs both.
void raise_file_limit();

}  // namespace hallcast::app
