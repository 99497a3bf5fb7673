// The RAII owners really release what they own, and only that.
#include "engine/gst/gst_ptr.h"

#include <gtest/gtest.h>

namespace hallcast::engine {
namespace {

class GstPtrTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { gst_init(nullptr, nullptr); }
};

void mark_finalized(gpointer flag, GObject*) {
  *static_cast<bool*>(flag) = true;
}

TEST_F(GstPtrTest, SinkFloatingOwnsTheOnlyReference) {
  bool finalized = false;
  {
    ElementPtr e = sink_floating(gst_element_factory_make("fakesink", nullptr));
    ASSERT_TRUE(e);
    EXPECT_FALSE(g_object_is_floating(e.get()));
    EXPECT_EQ(GST_OBJECT_REFCOUNT_VALUE(e.get()), 1);
    g_object_weak_ref(G_OBJECT(e.get()), mark_finalized, &finalized);
  }
  EXPECT_TRUE(finalized);
}

TEST_F(GstPtrTest, ElementInABinLivesUntilBothOwnersLetGo) {
  bool finalized = false;
  ElementPtr bin = sink_floating(gst_bin_new(nullptr));
  {
    ElementPtr e = sink_floating(gst_element_factory_make("fakesink", nullptr));
    g_object_weak_ref(G_OBJECT(e.get()), mark_finalized, &finalized);
    ASSERT_TRUE(gst_bin_add(GST_BIN(bin.get()), e.get()));
    EXPECT_EQ(GST_OBJECT_REFCOUNT_VALUE(e.get()), 2);
  }
  EXPECT_FALSE(finalized);
  bin.reset();
  EXPECT_TRUE(finalized);
}

TEST_F(GstPtrTest, AdoptTakesOverATransferFullReference) {
  ElementPtr e = sink_floating(gst_element_factory_make("identity", nullptr));
  const int before = GST_OBJECT_REFCOUNT_VALUE(e.get());
  {
    PadPtr pad = adopt(gst_element_get_static_pad(e.get(), "src"));
    ASSERT_TRUE(pad);
    EXPECT_EQ(GST_OBJECT_REFCOUNT_VALUE(pad.get()), 2);  // the element's and ours
  }
  PadPtr again = adopt(gst_element_get_static_pad(e.get(), "src"));
  EXPECT_EQ(GST_OBJECT_REFCOUNT_VALUE(again.get()), 2);
  EXPECT_EQ(GST_OBJECT_REFCOUNT_VALUE(e.get()), before);
}

TEST_F(GstPtrTest, RetainAddsAReferenceOfItsOwnAndDropsOnlyThat) {
  bool finalized = false;
  ElementPtr bin = sink_floating(gst_bin_new(nullptr));
  g_object_weak_ref(G_OBJECT(bin.get()), mark_finalized, &finalized);
  {
    ElementPtr again = retain(bin.get());
    EXPECT_EQ(again.get(), bin.get());
    EXPECT_EQ(GST_OBJECT_REFCOUNT_VALUE(bin.get()), 2);
  }
  EXPECT_EQ(GST_OBJECT_REFCOUNT_VALUE(bin.get()), 1);
  EXPECT_FALSE(finalized);
  bin.reset();
  EXPECT_TRUE(finalized);
  EXPECT_FALSE(retain<GstElement>(nullptr));
}

TEST_F(GstPtrTest, MoveLeavesTheSourceEmpty) {
  CapsPtr caps(gst_caps_from_string("video/x-raw"));
  CapsPtr moved = std::move(caps);
  EXPECT_FALSE(caps);
  ASSERT_TRUE(moved);
  EXPECT_EQ(GST_MINI_OBJECT_REFCOUNT_VALUE(moved.get()), 1);
}

void count_notify(GObject*, GParamSpec*, gpointer counter) {
  ++*static_cast<int*>(counter);
}

TEST_F(GstPtrTest, SignalConnectionDisconnectsWhenItGoes) {
  ElementPtr e = sink_floating(gst_element_factory_make("identity", nullptr));
  int calls = 0;
  {
    SignalConnection c(
        e.get(), g_signal_connect(e.get(), "notify::silent", G_CALLBACK(count_notify), &calls));
    EXPECT_TRUE(c.connected());
    g_object_set(e.get(), "silent", FALSE, nullptr);
    EXPECT_EQ(calls, 1);
    SignalConnection moved = std::move(c);
    EXPECT_FALSE(c.connected());
    g_object_set(e.get(), "silent", TRUE, nullptr);
    EXPECT_EQ(calls, 2);
  }
  g_object_set(e.get(), "silent", FALSE, nullptr);
  EXPECT_EQ(calls, 2);
}

GstPadProbeReturn count_buffers(GstPad*, GstPadProbeInfo*, gpointer counter) {
  ++*static_cast<int*>(counter);
  return GST_PAD_PROBE_OK;
}

TEST_F(GstPtrTest, PadProbeIsRemovedWhenItGoesAndPipelineOwnerSetsNull) {
  GstElement* raw =
      gst_parse_launch("fakesrc name=src num-buffers=-1 ! fakesink sync=false", nullptr);
  ElementPtr keep = sink_floating(raw);
  ElementPtr extra = retain(keep.get());  // a second reference to look at afterwards
  PipelineOwner pipeline(std::move(keep));
  ElementPtr src = adopt(gst_bin_get_by_name(pipeline.bin(), "src"));
  PadPtr pad = adopt(gst_element_get_static_pad(src.get(), "src"));
  int buffers = 0;
  auto probe = std::make_unique<PadProbe>(
      pad.get(),
      gst_pad_add_probe(pad.get(), GST_PAD_PROBE_TYPE_BUFFER, count_buffers, &buffers, nullptr));
  ASSERT_NE(gst_element_set_state(pipeline.get(), GST_STATE_PLAYING), GST_STATE_CHANGE_FAILURE);
  for (int i = 0; i < 200 && buffers < 10; ++i) {
    g_usleep(10'000);
  }
  EXPECT_GE(buffers, 10);
  probe.reset();
  g_usleep(50'000);
  const int after_removal = buffers;
  g_usleep(100'000);
  EXPECT_EQ(buffers, after_removal);

  pipeline.reset();
  GstState state = GST_STATE_VOID_PENDING;
  gst_element_get_state(extra.get(), &state, nullptr, 0);
  EXPECT_EQ(state, GST_STATE_NULL);
}

}  // namespace
}  // namespace hallcast::engine
