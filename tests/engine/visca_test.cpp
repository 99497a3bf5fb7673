// The VISCA codec against the command set: each command's bytes as the VISCA manuals
// spell them, replies read back, Sony's VISCA-over-IP header both ways.
#include "engine/ptz/visca.h"

#include <gtest/gtest.h>

namespace hallcast::engine::visca {
namespace {

TEST(Visca, MemoryCommands) {
  EXPECT_EQ(recall(3), (Bytes{0x81, 0x01, 0x04, 0x3F, 0x02, 0x03, 0xFF}));
  EXPECT_EQ(store(127), (Bytes{0x81, 0x01, 0x04, 0x3F, 0x01, 0x7F, 0xFF}));
  EXPECT_EQ(recall(0), (Bytes{0x81, 0x01, 0x04, 0x3F, 0x02, 0x00, 0xFF}));
}

TEST(Visca, PanTiltDriveDirectionsAndSpeeds) {
  // Right at full speed (VV 0x18), up at half (WW 0x0A): 0x = 02 (right), 0y = 01 (up).
  EXPECT_EQ(pan_tilt(1.0, 0.5), (Bytes{0x81, 0x01, 0x06, 0x01, 0x18, 0x0A, 0x02, 0x01, 0xFF}));
  // Left and down, slowest step for a tiny speed.
  EXPECT_EQ(pan_tilt(-0.01, -1.0), (Bytes{0x81, 0x01, 0x06, 0x01, 0x01, 0x14, 0x01, 0x02, 0xFF}));
  // Stop: 03 03.
  EXPECT_EQ(pan_tilt(0, 0), (Bytes{0x81, 0x01, 0x06, 0x01, 0x01, 0x01, 0x03, 0x03, 0xFF}));
  // Pan only: tilt stops.
  EXPECT_EQ(pan_tilt(-1, 0), (Bytes{0x81, 0x01, 0x06, 0x01, 0x18, 0x01, 0x01, 0x03, 0xFF}));
}

TEST(Visca, ZoomTeleWideStop) {
  EXPECT_EQ(zoom(1.0), (Bytes{0x81, 0x01, 0x04, 0x07, 0x27, 0xFF}));
  EXPECT_EQ(zoom(-1.0), (Bytes{0x81, 0x01, 0x04, 0x07, 0x37, 0xFF}));
  EXPECT_EQ(zoom(0.0), (Bytes{0x81, 0x01, 0x04, 0x07, 0x00, 0xFF}));
}

TEST(Visca, Tally) {
  EXPECT_EQ(tally(true), (Bytes{0x81, 0x01, 0x7E, 0x01, 0x0A, 0x00, 0x02, 0xFF}));
  EXPECT_EQ(tally(false), (Bytes{0x81, 0x01, 0x7E, 0x01, 0x0A, 0x00, 0x03, 0xFF}));
}

TEST(Visca, Replies) {
  EXPECT_EQ(parse_reply({0x90, 0x41, 0xFF}).kind, ReplyKind::ack);
  EXPECT_EQ(parse_reply({0x90, 0x51, 0xFF}).kind, ReplyKind::completion);
  EXPECT_EQ(parse_reply({0x90, 0x50, 0x02, 0xFF}).kind, ReplyKind::completion);
  const auto error = parse_reply({0x90, 0x61, 0x41, 0xFF});
  EXPECT_EQ(error.kind, ReplyKind::error);
  EXPECT_EQ(error.error, 0x41);
  EXPECT_EQ(describe_error(0x41), "command not executable");
  EXPECT_EQ(parse_reply({0x90, 0x41}).kind, ReplyKind::other);  // unterminated
  EXPECT_EQ(parse_reply({0x01, 0x41, 0xFF}).kind, ReplyKind::other);
}

TEST(Visca, StreamCutIntoMessages) {
  Bytes buffer{0x90, 0x41, 0xFF, 0x90, 0x51, 0xFF, 0x90, 0x6};
  const auto messages = take_messages(buffer);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0], (Bytes{0x90, 0x41, 0xFF}));
  EXPECT_EQ(messages[1], (Bytes{0x90, 0x51, 0xFF}));
  EXPECT_EQ(buffer, (Bytes{0x90, 0x6}));
}

TEST(Visca, SonyHeader) {
  const Bytes framed = frame({kCommand, 0x01020304, recall(5)});
  EXPECT_EQ(framed, (Bytes{0x01, 0x00, 0x00, 0x07, 0x01, 0x02, 0x03, 0x04, 0x81, 0x01, 0x04, 0x3F,
                           0x02, 0x05, 0xFF}));
  const auto back = unframe(framed);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->type, kCommand);
  EXPECT_EQ(back->sequence, 0x01020304u);
  EXPECT_EQ(back->payload, recall(5));
  // RESET: 02 00, length 1, payload 01.
  EXPECT_EQ(frame(reset(0)), (Bytes{0x02, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0x01}));
  // A length that disagrees with the datagram, or a datagram shorter than a header.
  EXPECT_FALSE(unframe({0x01, 0x11, 0x00, 0x05, 0, 0, 0, 1, 0x90, 0x41, 0xFF}));
  EXPECT_FALSE(unframe({0x01, 0x11, 0x00}));
  EXPECT_EQ(parse_control_reply({0x01}), ControlReply::reset_done);
  EXPECT_EQ(parse_control_reply({0x0F, 0x01}), ControlReply::sequence_error);
  EXPECT_EQ(parse_control_reply({0x0F, 0x02}), ControlReply::message_error);
}

}  // namespace
}  // namespace hallcast::engine::visca
