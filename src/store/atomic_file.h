// Replacing a file so that a crash at any moment (SIGKILL, a power cut) leaves either
// the old content or the new one, never a torn mix: the bytes go to a temporary file
// next to it, which is synced, renamed over the file, and the folder synced so the
// rename itself is on disk.
#pragma once

#include <filesystem>
#include <string_view>

namespace hallcast::store {

// Throws std::system_error naming the step and the file when any step fails; the file
// is then left as it was.
void write_file_atomically(const std::filesystem::path& file, std::string_view bytes);

}  // namespace hallcast::store
