// HLS for the organiser's website: hallcast writes it and serves it under /hls/ID/,
// without a token. A player reads the master playlist, picks a language rendition and
// fetches segments; the test does the same over HTTP and reads what it got with ffprobe.
#include <fstream>
#include <map>
#include <regex>
#include <thread>

#include "control_fixture.h"
#include "support/media_probe.h"

namespace hallcast::control {
namespace {

using testing::http_get;

config::Output hls_output(const std::filesystem::path& folder) {
  config::Output output;
  output.id = "web";
  output.name = "Website";
  output.type = config::OutputType::hls;
  output.path = folder.string();
  output.language = "en";
  output.segment_s = 1;
  return output;
}

// `KEY=VALUE` and `KEY="VALUE"` attributes of one playlist tag line.
std::map<std::string, std::string> attributes(const std::string& line) {
  std::map<std::string, std::string> found;
  static const std::regex pair(R"re(([A-Z-]+)=("([^"]*)"|[^,]*))re");
  const auto colon = line.find(':');
  const std::string list = colon == std::string::npos ? "" : line.substr(colon + 1);
  for (std::sregex_iterator it(list.begin(), list.end(), pair), end; it != end; ++it) {
    found[(*it)[1]] = (*it)[3].matched ? (*it)[3].str() : (*it)[2].str();
  }
  return found;
}

std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) == 0) {
      lines.push_back(line);
    }
  }
  return lines;
}

// The segment names of a media playlist, oldest first.
std::vector<std::string> segments(const std::string& playlist) {
  std::vector<std::string> names;
  std::istringstream in(playlist);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.front() != '#') {
      names.push_back(line);
    }
  }
  return names;
}

class HlsTest : public ControlTest {};

TEST_F(HlsTest, ServesAMasterPlaylistWithALanguageMenuAndPlayableRenditions) {
  const auto folder = temp_dir() / "hls";
  Setup setup;
  setup.extra_outputs = {hls_output(folder)};
  start_show(setup);

  // Three segments of each rendition: the playlists slide from the start.
  std::string video_playlist;
  for (int i = 0; i < 100 && segments(video_playlist).size() < 3; ++i) {
    std::this_thread::sleep_for(100ms);
    const auto r = http_get(port(), "/hls/web/video/index.m3u8");
    video_playlist = r.status == 200 ? r.body : "";
  }
  ASSERT_GE(segments(video_playlist).size(), 3u) << video_playlist;

  // No token: a public player fetches these, from the organiser's own origin.
  const auto master = http_get(port(), "/hls/web/master.m3u8");
  ASSERT_EQ(master.status, 200);
  EXPECT_EQ(master.header("content-type"), "application/vnd.apple.mpegurl");
  EXPECT_EQ(master.header("access-control-allow-origin"), "*");
  EXPECT_EQ(master.header("cache-control"), "no-cache");

  const auto media = lines_starting(master.body, "#EXT-X-MEDIA:");
  ASSERT_EQ(media.size(), config().languages().size()) << master.body;
  std::map<std::string, std::map<std::string, std::string>> by_language;
  for (const auto& line : media) {
    auto a = attributes(line);
    EXPECT_EQ(a["TYPE"], "AUDIO") << line;
    EXPECT_EQ(a["GROUP-ID"], "audio") << line;
    EXPECT_EQ(a["AUTOSELECT"], "YES") << line;
    EXPECT_FALSE(a["NAME"].empty()) << line;
    by_language[a["LANGUAGE"]] = a;
  }
  // The floor is the hall in every language spoken: "mul". The output's language is
  // the one a player starts with.
  ASSERT_TRUE(by_language.count("mul")) << master.body;
  ASSERT_TRUE(by_language.count("en")) << master.body;
  EXPECT_EQ(by_language["en"]["DEFAULT"], "YES");
  EXPECT_EQ(by_language["mul"]["DEFAULT"], "NO");
  EXPECT_EQ(by_language["en"]["NAME"], "English");

  const auto variants = lines_starting(master.body, "#EXT-X-STREAM-INF:");
  ASSERT_EQ(variants.size(), 1u);
  auto variant = attributes(variants[0]);
  EXPECT_EQ(variant["AUDIO"], "audio");
  EXPECT_EQ(variant["RESOLUTION"], "320x180");
  EXPECT_GT(std::stoi(variant["BANDWIDTH"]), 400'000);

  // Every rendition: its playlist, and its latest full segment as ffprobe reads it.
  auto fetch_segment = [&](const std::string& dir, const std::string& playlist_text) {
    const auto names = segments(playlist_text);
    EXPECT_FALSE(names.empty()) << dir;
    if (names.empty()) {
      return std::filesystem::path();
    }
    const auto r = http_get(port(), "/hls/web/" + dir + "/" + names[names.size() - 2]);
    EXPECT_EQ(r.status, 200) << dir;
    EXPECT_EQ(r.header("content-type"), "video/mp2t");
    const auto file = temp_dir() / (dir + ".ts");
    std::ofstream(file, std::ios::binary) << r.body;
    return file;
  };
  const auto video = testing::probe(fetch_segment("video", video_playlist));
  ASSERT_EQ(video.video_streams().size(), 1u);
  EXPECT_EQ(video.video_streams()[0].codec_name, "h264");
  EXPECT_TRUE(video.audio_streams().empty());

  const std::map<std::string, std::string> expected_tag{{"mul", "mul"}, {"en", "eng"}};
  for (const auto& [language, a] : by_language) {
    const auto playlist = http_get(port(), "/hls/web/" + a.at("URI"));
    ASSERT_EQ(playlist.status, 200) << a.at("URI");
    EXPECT_EQ(playlist.header("cache-control"), "no-cache");
    EXPECT_FALSE(lines_starting(playlist.body, "#EXT-X-TARGETDURATION:").empty());
    const std::string dir = a.at("URI").substr(0, a.at("URI").find('/'));
    const auto info = testing::probe(fetch_segment(dir, playlist.body));
    ASSERT_EQ(info.audio_streams().size(), 1u) << dir;
    EXPECT_TRUE(info.video_streams().empty()) << dir;
    EXPECT_EQ(info.audio_streams()[0].codec_name, "aac");
    EXPECT_EQ(info.audio_streams()[0].language, expected_tag.at(language)) << dir;
  }

  // Only what the output wrote, and only its files.
  EXPECT_EQ(http_get(port(), "/hls/nope/master.m3u8").status, 404);
  EXPECT_EQ(http_get(port(), "/hls/web/../../etc/passwd").status, 404);
  EXPECT_EQ(http_get(port(), "/hls/web/video/").status, 404);
  EXPECT_EQ(http_get(port(), "/hls/web").status, 404);
  EXPECT_EQ(http_get(port(), "/hls/rec/master.m3u8").status, 404);  // a recording is private
}

TEST_F(HlsTest, ServesOnlyTheFilesTheOutputWritesNotOthersInItsFolder) {
  // An operator pointed the output at a folder that holds other things: the config
  // with its inline key, notes, a folder of its own.
  const auto folder = temp_dir() / "site";
  std::filesystem::create_directories(folder / "private");
  std::ofstream(folder / "show.json") << R"({"key": "TOP-SECRET"})";
  std::ofstream(folder / "notes.txt") << "TOP-SECRET notes";
  std::ofstream(folder / "private" / "index.m3u8") << "TOP-SECRET playlist";
  std::ofstream(folder / "private" / "segment00001.ts") << "TOP-SECRET segment";
  Setup setup;
  setup.extra_outputs = {hls_output(folder)};
  start_show(setup);

  std::string video_playlist;
  for (int i = 0; i < 100 && segments(video_playlist).size() < 2; ++i) {
    std::this_thread::sleep_for(100ms);
    const auto r = http_get(port(), "/hls/web/video/index.m3u8");
    video_playlist = r.status == 200 ? r.body : "";
  }
  ASSERT_GE(segments(video_playlist).size(), 2u) << video_playlist;
  // Files that appear in the renditions' own folders while the output runs.
  std::ofstream(folder / "video" / "notes.txt") << "TOP-SECRET in a rendition";
  std::ofstream(folder / "audio-en" / "segment1.ts") << "TOP-SECRET short name";
  std::ofstream(folder / "audio-en" / "index.m3u8.bak") << "TOP-SECRET backup";
  std::ofstream(folder / "video" / "segment00001.ts.part") << "TOP-SECRET partial";
  std::ofstream(folder / "video" / "clip.mp4") << "TOP-SECRET clip";
  // Named like a segment but for the stamp before its number.
  std::ofstream(folder / "video" / "segment-00001.ts") << "TOP-SECRET no stamp";
  std::ofstream(folder / "video" / "segmentab-00001.ts") << "TOP-SECRET letters";
  std::ofstream(folder / "video" / "segment1-2-00001.ts") << "TOP-SECRET two stamps";

  for (const char* path :
       {"/hls/web/show.json", "/hls/web/notes.txt", "/hls/web/private/index.m3u8",
        "/hls/web/private/segment00001.ts", "/hls/web/video/notes.txt",
        "/hls/web/audio-en/segment1.ts", "/hls/web/audio-en/index.m3u8.bak",
        "/hls/web/video/segment00001.ts.part", "/hls/web/video/clip.mp4",
        "/hls/web/video/../show.json", "/hls/web/audio-xx/index.m3u8", "/hls/web/index.html",
        "/hls/web/video/segment-00001.ts", "/hls/web/video/segmentab-00001.ts",
        "/hls/web/video/segment1-2-00001.ts"}) {
    const auto r = http_get(port(), path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body.find("TOP-SECRET"), std::string::npos) << path;
  }

  // Everything the output wrote is served, each with its type.
  std::size_t served = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
    const auto relative = std::filesystem::relative(entry.path(), folder).string();
    const bool ours =
        relative == "master.m3u8" ||
        std::regex_match(relative, std::regex(R"((video|audio-[a-z]+)/index\.m3u8)")) ||
        std::regex_match(relative,
                         std::regex(R"((video|audio-[a-z]+)/segment([0-9]+-)?[0-9]{5}\.ts)"));
    if (!ours) {
      continue;
    }
    const auto r = http_get(port(), "/hls/web/" + relative);
    if (r.status == 404 && !std::filesystem::exists(entry.path())) {
      continue;  // a segment the sliding window deleted meanwhile
    }
    EXPECT_EQ(r.status, 200) << relative;
    EXPECT_EQ(r.header("content-type"),
              relative.ends_with(".ts") ? "video/mp2t" : "application/vnd.apple.mpegurl")
        << relative;
    ++served;
  }
  EXPECT_GE(served, 1u + 3u + 3u * 2u);  // master, 3 playlists, 2 segments each
}

TEST_F(HlsTest, TheSlidingWindowKeepsThePlaylistShortAndTheFolderBounded) {
  const auto folder = temp_dir() / "hls";
  Setup setup;
  setup.extra_outputs = {hls_output(folder)};
  start_show(setup);
  // Past the playlist window (6) and the files kept (12): 14 one-second segments.
  std::this_thread::sleep_for(15s);
  const auto playlist = http_get(port(), "/hls/web/video/index.m3u8");
  ASSERT_EQ(playlist.status, 200);
  const auto names = segments(playlist.body);
  EXPECT_EQ(names.size(), 6u) << playlist.body;
  const auto sequence = lines_starting(playlist.body, "#EXT-X-MEDIA-SEQUENCE:");
  ASSERT_EQ(sequence.size(), 1u);
  EXPECT_GT(std::stoi(sequence[0].substr(sequence[0].find(':') + 1)), 5);
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder / "video")) {
    files += entry.path().extension() == ".ts" ? 1 : 0;
  }
  EXPECT_LE(files, 13u);
  EXPECT_GE(files, 6u);
}

}  // namespace
}  // namespace hallcast::control
