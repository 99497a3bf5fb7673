// An IP camera for tests: an RTSP server on 127.0.0.1 serving one H.264 stream at
// rtsp://127.0.0.1:PORT/cam, made by a GStreamer description given on the command line
// (its payloader named pay0). A test runs it as a child process and kills it to play a
// camera that drops off the network.
//
//   hallcast_test_rtsp_server PORT [DESCRIPTION]
//
// It prints "ready" once it listens and runs until it is killed.
#include <gst/gst.h>
#include <gst/rtsp-server/rtsp-server.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

// A solid blue picture with a white ball that moves every frame: a frozen picture is
// told from a live one by comparing two frames.
constexpr const char* kDefaultDescription =
    "( videotestsrc is-live=true pattern=ball background-color=0xff0000ff"
    " ! video/x-raw,width=640,height=360,framerate=30/1"
    " ! x264enc tune=zerolatency speed-preset=veryfast key-int-max=30"
    " ! rtph264pay name=pay0 pt=96 config-interval=-1 )";

}  // namespace

int main(int argc, char** argv) {
  gst_init(&argc, &argv);
  if (argc < 2 || argc > 3 || std::atoi(argv[1]) <= 0) {
    std::fprintf(stderr, "usage: %s PORT [DESCRIPTION]\n", argv[0]);
    return 2;
  }
  const std::string port = argv[1];
  const std::string description = argc == 3 ? argv[2] : kDefaultDescription;

  GstRTSPServer* server = gst_rtsp_server_new();
  gst_rtsp_server_set_address(server, "127.0.0.1");
  gst_rtsp_server_set_service(server, port.c_str());
  GstRTSPMediaFactory* factory = gst_rtsp_media_factory_new();
  gst_rtsp_media_factory_set_launch(factory, description.c_str());
  // One encoder for every client, as a camera has.
  gst_rtsp_media_factory_set_shared(factory, TRUE);
  GstRTSPMountPoints* mounts = gst_rtsp_server_get_mount_points(server);
  gst_rtsp_mount_points_add_factory(mounts, "/cam", factory);  // takes the factory
  g_object_unref(mounts);

  if (gst_rtsp_server_attach(server, nullptr) == 0) {
    std::fprintf(stderr, "cannot listen on 127.0.0.1:%s\n", port.c_str());
    g_object_unref(server);
    return 1;
  }
  std::printf("ready\n");
  std::fflush(stdout);
  GMainLoop* loop = g_main_loop_new(nullptr, FALSE);
  g_main_loop_run(loop);
  g_main_loop_unref(loop);
  g_object_unref(server);
  return 0;
}
