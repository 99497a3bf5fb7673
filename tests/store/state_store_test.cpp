// The saved state on disk (src/store): its JSON form, the atomic replacement, reading
// it back (a bad file set aside), the debounced writer and the folder locks.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "store/atomic_file.h"
#include "store/folder_lock.h"
#include "store/state_codec.h"
#include "store/state_file.h"
#include "store/state_writer.h"
#include "support/rename_counter.h"
#include "support/temp_dir.h"

namespace hallcast::store {
namespace {

using namespace std::chrono_literals;
using testing::RenameCounter;
using testing::TempDir;

show::LiveState sample_state() {
  show::LiveState s;
  s.program = "close";
  s.preview = "wide";
  s.overlays = {{"slate", true},
                {"lt-abiru", false, config::OverlayType::lower_third,
                 show::OverlayText{"Тайсукэ Абиру", "", {{"en", "Taisuke Abiru", "Fellow"}}, ""}},
                {"q1", true, config::OverlayType::title,
                 show::OverlayText{"", "", {}, "Вопрос из зала"}, true}};
  s.deleted_overlays = {"lt-guest"};
  s.audio = {{"mic1", -6.5, false}, {"booth-ru", 0.0, true}};
  s.outputs = {{"vk", true, "ru"}, {"rec", false, "floor"}, {"x", false, "floor", true}};
  s.auto_director = true;
  const auto at = [](long long ms) { return config::WallTime(std::chrono::milliseconds(ms)); };
  s.cues = {
      {0, "-5m", at(1782978900000), R"({"cmd":"output.start","output":"vk"})", show::CueState::ran,
       at(1782978900123)},
      {1, "+0s", at(1782979200000), R"({"cmd":"scene.cut","scene":"x"})", show::CueState::failed,
       at(1782979200004), show::ErrorCode::unknown_scene, "no scene \"x\""},
      {2, "2026-07-03T12:00:00+03:00", at(1782982800000), "{}", show::CueState::skipped}};
  return s;
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const std::filesystem::path& file, const std::string& text) {
  std::ofstream(file) << text;
}

std::vector<std::string> names_in(const std::filesystem::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(StateCodecTest, RoundTrips) {
  EXPECT_EQ(decode_state(encode_state(sample_state())), sample_state());
  EXPECT_EQ(decode_state(encode_state(show::LiveState{})), show::LiveState{});
  show::LiveState director_off = sample_state();
  director_off.auto_director = false;
  EXPECT_EQ(decode_state(encode_state(director_off)), director_off);
}

// A show without an automatic director writes no "auto"; a file from before there was
// one reads as such a show's.
TEST(StateCodecTest, AShowWithoutAnAutoDirectorHasNoAutoKey) {
  show::LiveState state = sample_state();
  state.auto_director.reset();
  const std::string text = encode_state(state);
  EXPECT_EQ(text.find("\"auto\""), std::string::npos) << text;
  EXPECT_EQ(decode_state(text), state);
}

// A state saved before captions' words, deleted overlays, stopped destinations and cues
// were kept reads as the config's words, nothing deleted, nothing stopped, no cue done.
TEST(StateCodecTest, AnEarlierFileReadsAsTheConfigLeftThoseParts) {
  const std::string earlier = R"({"format": "hallcast-show-state", "version": 1,
      "program": "close", "preview": "wide",
      "overlays": [{"id": "slate", "visible": true}],
      "audio": [], "outputs": [{"id": "vk", "running": false, "language": "ru"}]})";
  const show::LiveState state = decode_state(earlier);
  ASSERT_EQ(state.overlays.size(), 1u);
  EXPECT_FALSE(state.overlays[0].content);
  EXPECT_FALSE(state.overlays[0].created);
  EXPECT_TRUE(state.deleted_overlays.empty());
  ASSERT_EQ(state.outputs.size(), 1u);
  EXPECT_FALSE(state.outputs[0].stopped);
  EXPECT_TRUE(state.cues.empty());
}

TEST(StateCodecTest, PassesOverKeysALaterVersionAdds) {
  auto text = encode_state(sample_state());
  text.insert(text.find('{') + 1, "\"cameras\": [{\"id\": \"cam2\", \"preset\": 3}], ");
  EXPECT_EQ(decode_state(text), sample_state());
}

TEST(StateCodecTest, RefusesWhatIsNotASavedState) {
  const std::string good = encode_state(sample_state());
  const std::vector<std::string> bad{
      "",
      good.substr(0, good.size() / 2),  // torn
      "[]",
      "{\"program\": \"wide\"}",  // no format
      "{\"format\": \"hallcast-show-state\", \"version\": 2, \"program\": \"\", \"preview\": \"\"}",
      "{\"format\": \"hallcast-show-state\", \"version\": 1, \"program\": 3, \"preview\": \"\"}",
      "{\"format\": \"hallcast-show-state\", \"version\": 1, \"program\": \"a\", \"preview\": "
      "\"b\", \"audio\": [{\"channel\": \"mic1\", \"gain_db\": \"loud\", \"muted\": false}]}",
      "{\"format\": \"hallcast-show-state\", \"version\": 1, \"program\": \"a\", \"preview\": "
      "\"b\", \"outputs\": {}}",
      "{\"format\": \"hallcast-show-state\", \"version\": 1, \"program\": \"a\", \"preview\": "
      "\"b\", \"auto\": true}",
      "{\"format\": \"hallcast-show-state\", \"version\": 1, \"program\": \"a\", \"preview\": "
      "\"b\", \"auto\": {\"enabled\": \"yes\"}}",
      // made live, but without its words
      R"({"format": "hallcast-show-state", "version": 1, "program": "a", "preview": "b",
          "overlays": [{"id": "q1", "visible": true, "created": true}]})",
      R"({"format": "hallcast-show-state", "version": 1, "program": "a", "preview": "b",
          "overlays": [{"id": "q1", "visible": true, "type": "crawl",
                        "words": {"name": "", "role": "", "text": "x", "forms": []}}]})",
      R"({"format": "hallcast-show-state", "version": 1, "program": "a", "preview": "b",
          "deleted_overlays": "lt-guest"})",
      // a cue still pending is not kept; a place in the list is a whole number
      R"({"format": "hallcast-show-state", "version": 1, "program": "a", "preview": "b",
          "cues": [{"index": 0, "at": "-5m", "due_ms": 0, "request": "{}", "status": "pending"}]})",
      R"({"format": "hallcast-show-state", "version": 1, "program": "a", "preview": "b",
          "cues": [{"index": -1, "at": "-5m", "due_ms": 0, "request": "{}", "status": "ran"}]})",
  };
  for (const auto& text : bad) {
    EXPECT_THROW(decode_state(text), StateFormatError) << text;
  }
}

TEST(AtomicFileTest, ReplacesTheFileAndLeavesNoTemporary) {
  TempDir dir;
  const auto file = dir.path() / "f.json";
  write_file_atomically(file, "one");
  write_file_atomically(file, "two");
  EXPECT_EQ(read_text(file), "two");
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"f.json"});
}

TEST(AtomicFileTest, AFailedWriteLeavesTheOldFile) {
  TempDir dir;
  const auto file = dir.path() / "f.json";
  write_file_atomically(file, "old");
  // The temporary cannot be made where a folder of its name stands.
  std::filesystem::create_directory(dir.path() / "f.json.tmp");
  EXPECT_THROW(write_file_atomically(file, "new"), std::system_error);
  EXPECT_EQ(read_text(file), "old");
}

TEST(StateFileTest, NoFileMeansNoState) {
  TempDir dir;
  EXPECT_FALSE(load_state(dir.path()).has_value());
  EXPECT_TRUE(names_in(dir.path()).empty());
}

TEST(StateFileTest, ReadsWhatWasSaved) {
  TempDir dir;
  write_text(dir.path() / kStateFileName, encode_state(sample_state()));
  const auto loaded = load_state(dir.path());
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(*loaded, sample_state());
}

TEST(StateFileTest, ACorruptFileIsSetAsideAndKept) {
  TempDir dir;
  const std::string torn = encode_state(sample_state()).substr(0, 40);
  write_text(dir.path() / kStateFileName, torn);
  EXPECT_FALSE(load_state(dir.path()).has_value());
  const auto names = names_in(dir.path());
  ASSERT_EQ(names.size(), 1u);
  EXPECT_EQ(names[0].rfind(std::string(kStateFileName) + ".bad-", 0), 0u) << names[0];
  EXPECT_EQ(read_text(dir.path() / names[0]), torn);

  // A second bad file in the same second does not overwrite the first one set aside.
  write_text(dir.path() / kStateFileName, "{");
  EXPECT_FALSE(load_state(dir.path()).has_value());
  EXPECT_EQ(names_in(dir.path()).size(), 2u);
}

// The show as the writer reads it: changed by the test, read by the writer's thread.
class FakeShow {
 public:
  show::LiveState read() {
    std::lock_guard lock(mutex_);
    ++reads_;
    return state_;
  }
  void set_gain(double gain) {
    std::lock_guard lock(mutex_);
    state_.audio[0].gain_db = gain;
  }
  int reads() {
    std::lock_guard lock(mutex_);
    return reads_;
  }

 private:
  std::mutex mutex_;
  show::LiveState state_ = sample_state();
  int reads_ = 0;
};

// Waits until the file holds `state`; false after `limit`.
bool wait_for_file(const std::filesystem::path& file, const show::LiveState& state,
                   std::chrono::milliseconds limit = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      if (decode_state(read_text(file)) == state) {
        return true;
      }
    } catch (const StateFormatError&) {
    }
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

TEST(StateWriterTest, AFloodOfChangesWritesABoundedNumberOfTimesAndEndsOnTheLast) {
  TempDir dir;
  const auto file = dir.path() / kStateFileName;
  RenameCounter renames(dir.path(), kStateFileName);
  FakeShow show;
  constexpr auto debounce = 100ms;
  StateWriter writer(file, debounce);
  const auto ring = writer.doorbell();
  writer.start([&show] { return show.read(); }, std::nullopt);
  ASSERT_TRUE(wait_for_file(file, sample_state()));

  // A fader dragged for about a second: a change every millisecond.
  const auto started = std::chrono::steady_clock::now();
  int changes = 0;
  while (std::chrono::steady_clock::now() - started < 1s) {
    show.set_gain(-0.01 * ++changes);
    ring();
    std::this_thread::sleep_for(1ms);
  }
  const auto took = std::chrono::steady_clock::now() - started;
  show::LiveState last = sample_state();
  last.audio[0].gain_db = -0.01 * changes;
  ASSERT_TRUE(wait_for_file(file, last));
  writer.stop();

  // One write per debounce period at most, plus the first and the last.
  const int bound = static_cast<int>(took / debounce) + 3;
  EXPECT_LE(renames.count(), bound) << changes << " changes";
  EXPECT_GE(renames.count(), 2);
  EXPECT_EQ(static_cast<int>(writer.writes()), renames.count());
}

TEST(StateWriterTest, ABurstOfChangesWritesOnce) {
  TempDir dir;
  const auto file = dir.path() / kStateFileName;
  FakeShow show;
  StateWriter writer(file, 300ms);
  const auto ring = writer.doorbell();
  writer.start([&show] { return show.read(); }, sample_state());
  for (int i = 1; i <= 50; ++i) {
    show.set_gain(-1.0 * i);
    ring();
  }
  show::LiveState last = sample_state();
  last.audio[0].gain_db = -50.0;
  ASSERT_TRUE(wait_for_file(file, last));
  writer.stop();
  EXPECT_EQ(writer.writes(), 1u);
}

TEST(StateWriterTest, RingsWithoutAChangeWriteNothing) {
  TempDir dir;
  const auto file = dir.path() / kStateFileName;
  FakeShow show;
  StateWriter writer(file, 10ms);
  const auto ring = writer.doorbell();
  // The file holds the state already: nothing to write at start either.
  writer.start([&show] { return show.read(); }, sample_state());
  for (int i = 0; i < 20; ++i) {
    const int reads = show.reads();
    ring();
    while (show.reads() == reads) {
      std::this_thread::sleep_for(1ms);
    }
  }
  writer.stop();
  EXPECT_EQ(writer.writes(), 0u);
  EXPECT_FALSE(std::filesystem::exists(file));
}

TEST(StateWriterTest, StopWritesWhatIsPending) {
  TempDir dir;
  const auto file = dir.path() / kStateFileName;
  FakeShow show;
  // A debounce far longer than the test: only stop() can write the change.
  StateWriter writer(file, 60s);
  const auto ring = writer.doorbell();
  writer.start([&show] { return show.read(); }, sample_state());
  show.set_gain(-20.0);
  ring();
  writer.stop();
  show::LiveState expected = sample_state();
  expected.audio[0].gain_db = -20.0;
  EXPECT_EQ(decode_state(read_text(file)), expected);
}

TEST(StateWriterTest, TheDoorbellOutlivesTheWriter) {
  TempDir dir;
  std::function<void()> ring;
  {
    StateWriter writer(dir.path() / kStateFileName, 10ms);
    ring = writer.doorbell();
  }
  ring();  // nothing to wake: must not crash
}

TEST(FolderLockTest, ASecondLockOnTheSameFolderIsRefusedAndNamesTheHolder) {
  TempDir dir;
  const auto folder = dir.path() / "state";
  FolderLock first(folder);
  try {
    FolderLock second(folder);
    FAIL() << "locked twice";
  } catch (const LockError& e) {
    EXPECT_TRUE(e.held());
    EXPECT_NE(std::string(e.what()).find(std::to_string(getpid())), std::string::npos) << e.what();
  }
}

TEST(FolderLockTest, TheLockGoesWithItsOwner) {
  TempDir dir;
  { FolderLock first(dir.path()); }
  EXPECT_NO_THROW(FolderLock again(dir.path()));
}

TEST(FolderLockTest, AFolderThatCannotBeMadeIsNotHeld) {
  TempDir dir;
  write_text(dir.path() / "file", "x");
  try {
    FolderLock lock(dir.path() / "file" / "sub");
    FAIL() << "locked a folder inside a file";
  } catch (const LockError& e) {
    EXPECT_FALSE(e.held());
  }
}

TEST(FolderLockTest, DistinctFoldersCountsEachFolderOnce) {
  TempDir dir;
  const auto a = dir.path() / "a";
  const auto folders =
      distinct_folders({a, dir.path() / "b", dir.path() / "." / "a", a / "..", dir.path()});
  EXPECT_EQ(folders.size(), 3u);
}

}  // namespace
}  // namespace hallcast::store
