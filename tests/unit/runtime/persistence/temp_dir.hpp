#pragma once
// A fresh directory under /tmp (mkdtemp) for one test's journal, removed with everything in it
// when the test ends.

#include <filesystem>
#include <stdexcept>
#include <stdlib.h>
#include <string>

namespace troupe::persistence::testing {

/// Owns a unique temporary directory; `path()` is where a test opens its journal.
class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/troupe-journal-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// The directory itself.
  const std::string& path() const { return path_; }
  /// A path inside it that does not exist yet (the journal creates it).
  std::string journal_path() const { return path_ + "/node/journal"; }

 private:
  std::string path_;
};

}  // namespace troupe::persistence::testing
