#include "engine/outputs/output_unit.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>

#include "engine/gst/build_error.h"
#include "engine/gst/gst_build.h"
#include "engine/outputs/callback_guard.h"

namespace hallcast::engine {

namespace {

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

using namespace std::chrono_literals;

// How much a destination may fall behind before it counts as stalled.
constexpr std::chrono::milliseconds kMaxQueue{4000};
// A live destination that takes no data for this long has failed.
constexpr auto kStallTimeout = 5s;
// A connection not up after this long has failed (a host that swallows packets).
constexpr auto kConnectTimeout = 15s;
// A session that held this long was a success: the next failure retries quickly again.
constexpr auto kHealthySession = 30s;
constexpr std::chrono::milliseconds kFirstRetry{1000};
constexpr std::chrono::milliseconds kLongestRetry{30000};

// What an ERROR message says, with the cause when only its details give it (a file
// sink's "Could not open file … (Too many open files)"): the operator's last error.
std::string reason_of(GstMessage* message) {
  const auto said = message_text(message, "pipeline error");
  std::string detail = said.debug.substr(said.debug.rfind('\n') + 1);
  if (const auto colon = detail.rfind(": "); colon != std::string::npos) {
    detail = detail.substr(colon + 2);
  }
  // Not a source position or element path, not GLib's "domain …, code N" footnote.
  const bool useful = !detail.empty() && detail.size() < 160 &&
                      detail.find('/') == std::string::npos && detail.rfind("domain ", 0) != 0 &&
                      said.text.find(detail) == std::string::npos;
  return useful ? said.text + " (" + detail + ")" : said.text;
}

// True when this process cannot open a file right now. A pipeline that fails to build
// then (its template unreadable, a plugin that cannot be loaded) is not the template's
// fault: it is tried again once descriptors are free, not given up on.
bool out_of_descriptors() {
  const int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return errno == EMFILE || errno == ENFILE;
  }
  close(fd);
  return false;
}

}  // namespace

OutputUnit::OutputUnit(const config::Output& config, std::size_t index, std::string key,
                       OutputContext context)
    : config_(config),
      path_("outputs[" + std::to_string(index) + "]"),
      context_(std::move(context)),
      destination_(
          make_destination({config, path_, std::move(key), context_.templates, context_.video,
                            context_.audio, context_.redactor, context_.feeds.languages()})),
      backoff_(
          kFirstRetry, kLongestRetry,
          static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) +
              index) {
  status_.id = config.id;
  status_.name = config.name;
  status_.type = config.type;
  status_.language = config.language;
  status_.enabled = config.enabled;
  status_.since_ms = wall_ms();
  stamped_state_ = status_.state;
}

OutputUnit::~OutputUnit() {
  retry_timer_.reset();
  teardown();
}

std::vector<std::string> OutputUnit::carried_languages() const {
  if (carries_every_language()) {
    return context_.feeds.languages();
  }
  return {status_.language};
}

std::vector<StreamTap*> OutputUnit::taps_for(const std::vector<std::string>& languages) const {
  std::vector<StreamTap*> taps{&context_.feeds.video_tap()};
  for (const auto& language : languages) {
    StreamTap* tap = context_.feeds.audio_tap(language);
    if (tap == nullptr) {
      throw BuildError(path_ + ".language", "no programme track \"" + language + "\"");
    }
    taps.push_back(tap);
  }
  return taps;
}

void OutputUnit::build() {
  const auto languages = carried_languages();
  taps_for(languages);
  destination_->build(languages);
}

void OutputUnit::start() {
  guarded(
      [this] {
        if (wanted_) {
          return;  // on the air, or about to try again
        }
        status_.last_error.clear();
        if (auto reason = unstartable_reason(); !reason.empty()) {
          status_.last_error = reason;
          status_.last_error_ms = wall_ms();
          spdlog::warn("output {}: not started: {}", config_.id, reason);
          set_state(show::OutputState::idle);
          return;
        }
        wanted_ = true;
        backoff_.reset();
        status_.state = show::OutputState::connecting;
        open();
      },
      [this](const std::string& why) { fail_inside(why); });
}

void OutputUnit::retry() {
  retry_timer_.reset();
  if (!wanted_) {
    return;
  }
  teardown();  // a failed attempt not taken down yet
  ++status_.reconnects;
  spdlog::info("output {}: trying again (attempt {})", config_.id, status_.reconnects);
  open();
}

void OutputUnit::open() {
  if (attempt_) {
    return;
  }
  if (auto problem = destination_->prepare(); !problem.empty()) {
    fail(problem, Retry::yes);
    return;
  }
  const auto languages = carried_languages();
  const std::uint64_t generation = ++generation_;
  std::weak_ptr<int> alive = alive_;
  // The session's report comes from a streaming thread: the engine thread takes it, and
  // ignores it if this attempt has since been replaced.
  auto on_failure = [this, generation, alive](const std::string& why) {
    context_.thread.post([this, generation, alive, why] {
      if (alive.lock() && generation_ == generation && attempt_ && attempt_->attached()) {
        guarded([&] { fail(why, Retry::yes); }, [this](const std::string& e) { fail_inside(e); });
      }
    });
  };
  try {
    auto taps = taps_for(languages);
    attempt_ = std::make_unique<Attempt>(*destination_, destination_->build(languages),
                                         std::move(taps), kMaxQueue, std::move(on_failure));
  } catch (const BuildError& e) {
    destination_->after_attempt();
    if (out_of_descriptors()) {
      fail(std::string(e.what()) + " (no file descriptor left)", Retry::yes);
    } else {
      fail(e.what(), Retry::no);
    }
    return;
  }
  if (auto problem = destination_->before_play(); !problem.empty()) {
    fail(problem, Retry::yes);
    return;
  }
  if (!attempt_->watch(context_.thread.context(), &OutputUnit::on_bus_message, this)) {
    fail("cannot watch the pipeline's messages (no file descriptor left?)", Retry::yes);
    return;
  }
  if (!attempt_->play()) {
    fail("pipeline would not start", Retry::yes);
    return;
  }
  attempt_->attach();
  last_bytes_ = 0;
  const auto now = std::chrono::steady_clock::now();
  opened_at_ = now;
  last_tick_ = now;
  last_progress_ = now;
  status_.bytes = 0;
  status_.bitrate_kbps = 0;
  status_.uptime_s = 0;
  spdlog::info("output {}: {} (language {})", config_.id, destination_->describe(),
               carries_every_language() ? "all" : status_.language);
  set_state(status_.state == show::OutputState::reconnecting ? show::OutputState::reconnecting
                                                             : show::OutputState::connecting);
}

void OutputUnit::teardown() {
  if (attempt_) {
    attempt_.reset();
    destination_->after_attempt();
  }
}

bool OutputUnit::set_language(const std::string& language) {
  if (carries_every_language()) {
    return false;
  }
  if (language == status_.language) {
    return true;
  }
  StreamTap* next = context_.feeds.audio_tap(language);
  if (next == nullptr) {
    return false;
  }
  if (attempt_) {
    attempt_->switch_audio(next);
  }
  spdlog::info("output {}: language {} -> {}", config_.id, status_.language, language);
  status_.language = language;
  publish();
  return true;
}

std::string OutputUnit::fixed_language_reason() const {
  return std::string(config::to_string(config_.type)) + " outputs carry every language track";
}

void OutputUnit::stop() {
  wanted_ = false;
  retry_timer_.reset();
  if (attempt_) {
    teardown();
    spdlog::info("output {}: stopped", config_.id);
  }
  status_.bitrate_kbps = 0;
  set_state(show::OutputState::idle);
}

void OutputUnit::finish(std::chrono::steady_clock::time_point deadline) {
  wanted_ = false;
  retry_timer_.reset();
  if (!attempt_ || !attempt_->attached()) {
    stop();
    return;
  }
  const bool clean = attempt_->finish(deadline);
  teardown();
  status_.bitrate_kbps = 0;
  if (clean) {
    spdlog::info("output {}: finished", config_.id);
  } else {
    spdlog::warn("output {}: did not finish in time; closed as it was", config_.id);
  }
  set_state(show::OutputState::idle);
}

void OutputUnit::fail(const std::string& message, Retry again) {
  const std::string text = context_.redactor.scrub(message);
  spdlog::error("output {}: {}", config_.id, text);
  if (attempt_) {
    attempt_->detach();
  }
  status_.last_error = text;
  status_.last_error_ms = wall_ms();
  status_.bitrate_kbps = 0;
  // Not from inside this attempt's own bus handler: taken down on the next turn.
  later([this, generation = generation_] {
    if (generation == generation_ && attempt_ && !attempt_->attached()) {
      teardown();
    }
  });
  if (again == Retry::yes && wanted_) {
    const auto wait = backoff_.next();
    spdlog::warn("output {}: trying again in {:.1f} s", config_.id, wait.count() / 1000.0);
    retry_timer_ = context_.thread.add_timeout(static_cast<unsigned>(wait.count()), [this] {
      guarded([this] { retry(); }, [this](const std::string& why) { fail_inside(why); });
    });
    set_state(show::OutputState::reconnecting);
  } else {
    wanted_ = false;
    set_state(show::OutputState::error);
  }
}

void OutputUnit::fail_inside(const std::string& message) noexcept {
  guarded([&] { fail(message, Retry::yes); },
          [this](const std::string&) {
            // Not even the failure could be reported: at least say so in the state.
            wanted_ = false;
            status_.state = show::OutputState::error;
          });
}

void OutputUnit::later(std::function<void()> work) {
  std::weak_ptr<int> alive = alive_;
  context_.thread.post([this, alive, work = std::move(work)] {
    if (alive.lock()) {
      guarded(work, [this](const std::string& why) { fail_inside(why); });
    }
  });
}

void OutputUnit::tick() {
  guarded(
      [this] {
        if (attempt_ && attempt_->attached()) {
          update(attempt_->progress());
        }
      },
      [this](const std::string& why) { fail_inside(why); });
}

void OutputUnit::update(const Progress& progress) {
  const auto now = std::chrono::steady_clock::now();
  const std::uint64_t sent = progress.bytes - std::min(progress.bytes, last_bytes_);
  last_bytes_ = progress.bytes;
  const double dt = std::chrono::duration<double>(now - last_tick_).count();
  if (dt > 0.0) {
    status_.bitrate_kbps = static_cast<double>(sent) * 8.0 / dt / 1000.0;
  }
  if (sent > 0) {
    last_progress_ = now;
  }
  status_.bytes += sent;
  last_tick_ = now;

  if (!progress.stuck.empty()) {
    fail(progress.stuck, Retry::yes);
    return;
  }
  const bool waiting = status_.state == show::OutputState::connecting ||
                       status_.state == show::OutputState::reconnecting;
  if (waiting && progress.reached) {
    live_since_ = now;
    last_progress_ = now;
    status_.state = show::OutputState::live;
  } else if (progress.waiting_is_normal && status_.state == show::OutputState::live &&
             !progress.reached) {
    // An SRT listener whose receiver hung up waits for the next one: its normal state.
    status_.state = show::OutputState::connecting;
  } else if (status_.state == show::OutputState::live && now - last_progress_ > kStallTimeout) {
    ++status_.stalls;
    fail("took no data for " + std::to_string(kStallTimeout.count()) + " s", Retry::yes);
    return;
  } else if (waiting && !progress.waiting_is_normal && now - opened_at_ > kConnectTimeout) {
    fail("no connection after " + std::to_string(kConnectTimeout.count()) + " s", Retry::yes);
    return;
  }
  if (status_.state == show::OutputState::live) {
    status_.uptime_s = std::chrono::duration<double>(now - live_since_).count();
    if (now - live_since_ > kHealthySession) {
      backoff_.reset();
    }
  } else {
    status_.uptime_s = 0;
  }
  publish();
}

void OutputUnit::set_state(show::OutputState state) {
  status_.state = state;
  if (state != show::OutputState::live) {
    status_.uptime_s = 0;
  }
  publish();
}

void OutputUnit::publish() {
  // Every change of state is announced here (some are made in place and announced by
  // the next tick): the moment it is first announced is when the operators see it begin.
  if (status_.state != stamped_state_) {
    stamped_state_ = status_.state;
    status_.since_ms = wall_ms();
  }
  if (context_.on_change) {
    context_.on_change(status_);
  }
}

gboolean OutputUnit::on_bus_message(GstBus*, GstMessage* message, gpointer data) {
  auto* self = static_cast<OutputUnit*>(data);
  guarded([&] { self->handle_message(message); },
          [self](const std::string& why) { self->fail_inside(why); });
  return G_SOURCE_CONTINUE;
}

void OutputUnit::handle_message(GstMessage* message) {
  switch (GST_MESSAGE_TYPE(message)) {
    case GST_MESSAGE_ERROR: {
      const auto said = message_text(message, "pipeline error");
      if (!said.debug.empty()) {
        spdlog::debug("output {}: {}", config_.id, context_.redactor.scrub(said.debug));
      }
      // One failure per attempt: the errors that follow the first are its echoes.
      if (attempt_ && attempt_->attached()) {
        fail(reason_of(message), Retry::yes);
      }
      break;
    }
    case GST_MESSAGE_WARNING:
      spdlog::warn("output {}: {}", config_.id,
                   context_.redactor.scrub(message_text(message, "warning").text));
      break;
    default:
      break;
  }
}

}  // namespace hallcast::engine
