// One PTZ camera's VISCA link against a camera emulated on a loopback port: the bytes
// on the wire (Sony header, sequence numbers, RESET), a lost datagram sent again, a
// camera that stops answering shown as no_reply and back as ok, raw VISCA over TCP,
// a dead camera that never holds up another; the link's thread named after its camera,
// and what it throws reported while the link goes on.
#include "engine/ptz/visca_link.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>

#include "engine/ptz/visca.h"
#include "support/visca_camera.h"

namespace hallcast::engine {
namespace {

using namespace std::chrono_literals;
using testing::ViscaCamera;
using Bytes = std::vector<std::uint8_t>;

// The link states a link reported, in order.
class LinkStates {
 public:
  ViscaLink::OnLink callback() {
    return [this](show::PtzLink link, const std::string&) {
      std::lock_guard lock(mutex_);
      states_.push_back(link);
      changed_.notify_all();
    };
  }
  bool wait_for(show::PtzLink link, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout,
                             [&] { return !states_.empty() && states_.back() == link; });
  }
  std::vector<show::PtzLink> history() {
    std::lock_guard lock(mutex_);
    return states_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<show::PtzLink> states_;
};

// What the link's thread reported to its failure sink, as "part/unit: what".
class Failures : public FailureSink {
 public:
  void failed(std::string_view part, std::string_view unit,
              std::string_view what) noexcept override {
    std::lock_guard lock(mutex_);
    seen_.push_back(std::string(part) + "/" + std::string(unit) + ": " + std::string(what));
    changed_.notify_all();
  }
  std::vector<std::string> wait_for_one(std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return !seen_.empty(); });
    return seen_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> seen_;
};

// The names (comm) of this process's threads.
std::vector<std::string> thread_names() {
  std::vector<std::string> names;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    if (std::getline(comm, name)) {
      names.push_back(name);
    }
  }
  return names;
}

ViscaLinkOptions options_for(const ViscaCamera& camera, config::PtzProtocol protocol) {
  ViscaLinkOptions options;
  options.ptz = {protocol, "127.0.0.1", camera.port()};
  options.reply_timeout = 100ms;
  options.attempts = 3;
  return options;
}

TEST(ViscaLink, UdpResetsThenFramesEveryCommandWithTheNextSequence) {
  ViscaCamera camera(ViscaCamera::Transport::udp);
  LinkStates states;
  ViscaLink link("cam2", options_for(camera, config::PtzProtocol::visca_udp), states.callback());
  ASSERT_TRUE(states.wait_for(show::PtzLink::ok));
  link.send(visca::recall(3), ViscaLink::Kind::memory);
  link.send(visca::tally(true), ViscaLink::Kind::tally);
  ASSERT_TRUE(camera.wait_for([](const auto& m) { return m.size() >= 4; }));

  const auto messages = camera.received();
  // RESET first: 02 00, length 00 01, sequence 0, payload 01.
  EXPECT_EQ(messages[0].bytes, (Bytes{0x02, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0x01}));
  // The first look at the camera: a power inquiry (01 10), sequence 1.
  EXPECT_EQ(messages[1].bytes,
            (Bytes{0x01, 0x10, 0x00, 0x05, 0, 0, 0, 1, 0x81, 0x09, 0x04, 0x00, 0xFF}));
  // Commands (01 00) with their lengths and the sequence counting on.
  EXPECT_EQ(messages[2].bytes,
            (Bytes{0x01, 0x00, 0x00, 0x07, 0, 0, 0, 2, 0x81, 0x01, 0x04, 0x3F, 0x02, 0x03, 0xFF}));
  EXPECT_EQ(messages[3].bytes, (Bytes{0x01, 0x00, 0x00, 0x08, 0, 0, 0, 3, 0x81, 0x01, 0x7E, 0x01,
                                      0x0A, 0x00, 0x02, 0xFF}));
}

TEST(ViscaLink, ALostDatagramIsSentAgainWithTheSameSequence) {
  ViscaCamera camera(ViscaCamera::Transport::udp);
  LinkStates states;
  ViscaLink link("cam2", options_for(camera, config::PtzProtocol::visca_udp), states.callback());
  ASSERT_TRUE(states.wait_for(show::PtzLink::ok));
  camera.lose_next(2);
  link.send(visca::store(9), ViscaLink::Kind::memory);
  ASSERT_TRUE(camera.wait_for_payload(visca::store(9), 3));

  std::vector<ViscaCamera::Message> stores;
  for (const auto& message : camera.received()) {
    if (message.payload == visca::store(9)) {
      stores.push_back(message);
    }
  }
  ASSERT_EQ(stores.size(), 3u);
  EXPECT_FALSE(stores[0].answered);
  EXPECT_FALSE(stores[1].answered);
  EXPECT_TRUE(stores[2].answered);
  EXPECT_EQ(stores[0].sequence, stores[1].sequence);
  EXPECT_EQ(stores[1].sequence, stores[2].sequence);
  // Answered on the third try: the link never said no_reply.
  link.send(visca::recall(1), ViscaLink::Kind::memory);
  ASSERT_TRUE(camera.wait_for_payload(visca::recall(1)));
  EXPECT_EQ(states.history(), std::vector<show::PtzLink>{show::PtzLink::ok});
}

TEST(ViscaLink, ACameraThatStopsAnsweringIsNoReplyUntilItAnswersAgain) {
  ViscaCamera camera(ViscaCamera::Transport::udp);
  LinkStates states;
  ViscaLink link("cam2", options_for(camera, config::PtzProtocol::visca_udp), states.callback());
  ASSERT_TRUE(states.wait_for(show::PtzLink::ok));
  camera.set_silent(true);
  link.send(visca::recall(2), ViscaLink::Kind::memory);
  ASSERT_TRUE(states.wait_for(show::PtzLink::no_reply));
  camera.set_silent(false);
  link.send(visca::recall(4), ViscaLink::Kind::memory);
  EXPECT_TRUE(states.wait_for(show::PtzLink::ok));
}

TEST(ViscaLink, ASequenceErrorIsAnsweredWithResetAndTheCommandAgain) {
  ViscaCamera camera(ViscaCamera::Transport::udp);
  LinkStates states;
  ViscaLink link("cam2", options_for(camera, config::PtzProtocol::visca_udp), states.callback());
  ASSERT_TRUE(states.wait_for(show::PtzLink::ok));
  camera.ask_for_reset();
  link.send(visca::recall(6), ViscaLink::Kind::memory);
  ASSERT_TRUE(camera.wait_for_payload(visca::recall(6), 2));

  const auto messages = camera.received();
  ASSERT_GE(messages.size(), 5u);
  const auto& refused = messages[messages.size() - 3];
  const auto& reset = messages[messages.size() - 2];
  const auto& again = messages[messages.size() - 1];
  EXPECT_EQ(refused.payload, visca::recall(6));
  EXPECT_EQ(reset.bytes, (Bytes{0x02, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0x01}));
  EXPECT_EQ(again.payload, visca::recall(6));
  EXPECT_EQ(again.sequence, 1u);  // counting starts over after RESET
  EXPECT_TRUE(again.answered);
}

TEST(ViscaLink, TcpCarriesRawViscaBytes) {
  ViscaCamera camera(ViscaCamera::Transport::tcp);
  LinkStates states;
  ViscaLink link("cam3", options_for(camera, config::PtzProtocol::visca_tcp), states.callback());
  ASSERT_TRUE(states.wait_for(show::PtzLink::ok));
  link.send(visca::store(5), ViscaLink::Kind::memory);
  link.send(visca::pan_tilt(0.5, 0), ViscaLink::Kind::drive);
  link.send(visca::zoom(0), ViscaLink::Kind::zoom);
  ASSERT_TRUE(camera.wait_for_payload(visca::zoom(0)));
  const auto payloads = camera.payloads();
  ASSERT_EQ(payloads.size(), 4u);
  EXPECT_EQ(payloads[0], (Bytes{0x81, 0x09, 0x04, 0x00, 0xFF}));
  EXPECT_EQ(payloads[1], (Bytes{0x81, 0x01, 0x04, 0x3F, 0x01, 0x05, 0xFF}));
  EXPECT_EQ(payloads[2], (Bytes{0x81, 0x01, 0x06, 0x01, 0x0C, 0x01, 0x02, 0x03, 0xFF}));
  EXPECT_EQ(payloads[3], (Bytes{0x81, 0x01, 0x04, 0x07, 0x00, 0xFF}));
}

TEST(ViscaLink, TcpCameraThatIsNotThereIsNoReply) {
  // A port that was listening a moment ago and is closed now: connection refused.
  int port = 0;
  {
    ViscaCamera gone(ViscaCamera::Transport::tcp);
    port = gone.port();
  }
  LinkStates states;
  ViscaLinkOptions options;
  options.ptz = {config::PtzProtocol::visca_tcp, "127.0.0.1", port};
  options.reply_timeout = 100ms;
  ViscaLink link("cam3", options, states.callback());
  EXPECT_TRUE(states.wait_for(show::PtzLink::no_reply));
}

TEST(ViscaLink, ASilentCameraNeverHoldsUpAnother) {
  ViscaCamera dead(ViscaCamera::Transport::udp);
  dead.set_silent(true);
  ViscaCamera alive(ViscaCamera::Transport::udp);
  LinkStates dead_states;
  LinkStates alive_states;
  // The dead camera's link waits a long time for each answer.
  auto slow = options_for(dead, config::PtzProtocol::visca_udp);
  slow.reply_timeout = 2s;
  ViscaLink dead_link("cam1", slow, dead_states.callback());
  ViscaLink alive_link("cam2", options_for(alive, config::PtzProtocol::visca_udp),
                       alive_states.callback());
  dead_link.send(visca::recall(1), ViscaLink::Kind::memory);
  alive_link.send(visca::recall(2), ViscaLink::Kind::memory);
  ASSERT_TRUE(alive.wait_for_payload(visca::recall(2)));
  // The live camera had its recall while the dead one was still on its first RESET.
  const auto dead_messages = dead.received();
  EXPECT_LE(dead_messages.size(), 1u);
  EXPECT_TRUE(alive_states.wait_for(show::PtzLink::ok, 0ms));
}

TEST(ViscaLink, ItsThreadIsNamedAfterItsCameraWithinFifteenCharacters) {
  ViscaCamera near(ViscaCamera::Transport::udp);
  ViscaCamera far(ViscaCamera::Transport::udp);
  LinkStates near_states;
  LinkStates far_states;
  ViscaLink near_link("cam2", options_for(near, config::PtzProtocol::visca_udp),
                      near_states.callback());
  ViscaLink far_link("panelist-left-2", options_for(far, config::PtzProtocol::visca_udp),
                     far_states.callback());
  ASSERT_TRUE(near_states.wait_for(show::PtzLink::ok));
  ASSERT_TRUE(far_states.wait_for(show::PtzLink::ok));
  const auto names = thread_names();
  EXPECT_EQ(std::count(names.begin(), names.end(), "visca-cam2"), 1);
  EXPECT_EQ(std::count(names.begin(), names.end(), "visca-panelist-"), 1);
}

TEST(ViscaLink, WhatItsThreadThrowsIsReportedAndTheLinkGoesOn) {
  ViscaCamera camera(ViscaCamera::Transport::udp);
  Failures failures;
  ViscaLink link(
      "cam2", options_for(camera, config::PtzProtocol::visca_udp),
      [](show::PtzLink, const std::string&) { throw std::runtime_error("the listener broke"); },
      &failures);
  const auto seen = failures.wait_for_one();
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen[0], "ptz/cam2: the listener broke");
  link.send(visca::recall(5), ViscaLink::Kind::memory);
  EXPECT_TRUE(camera.wait_for_payload(visca::recall(5)));
}

}  // namespace
}  // namespace hallcast::engine
