// The files a sink writes one after another under numbered names (`rec-…-000.mkv`,
// `…-001.mkv`; `segment00000.ts`, …), as they are on disk: how many bytes have really
// reached them, and which of them were left empty. What a sink says it took is not
// what the disk took: a full disk fails the write, a file open with nothing in it
// plays nothing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace hallcast::engine {

class NumberedFiles {
 public:
  // Files `<prefix><number><suffix>` from `first` on, the number `digits` wide; with
  // `digits` 0, the one file `<prefix><suffix>`.
  NumberedFiles(std::filesystem::path prefix, int digits, std::string suffix, int first = 0);

  std::filesystem::path name(int number) const;
  // Bytes on disk in the series so far. A file the sink has moved past counts with the
  // size it had when it was last seen (a sink that deletes old files, like hlssink2,
  // does not take them back).
  std::uint64_t bytes();
  // Removes every file of the series that holds nothing; returns how many.
  int remove_empty();

 private:
  std::filesystem::path prefix_;
  int digits_;
  std::string suffix_;
  int first_;
  int current_;
  std::uint64_t finished_ = 0;  // bytes in the files before `current_`
};

}  // namespace hallcast::engine
