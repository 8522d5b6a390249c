#include <doctest/doctest.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "runtime/checkpoint_store.h"
#include "runtime/state_dir_lock.h"

using namespace pipeline;
namespace fs = std::filesystem;

namespace {

struct ScratchDir {
  ScratchDir() {
    std::string tmpl = (fs::temp_directory_path() / "pipe-ckpt-test-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string path;
};

size_t OpenDescriptors() {
  return static_cast<size_t>(std::distance(fs::directory_iterator("/proc/self/fd"), fs::directory_iterator{}));
}

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_SUITE("runtime.checkpoints") {
  TEST_CASE("stream names that differ only in unsafe bytes get their own checkpoint files") {
    ScratchDir dir;
    CheckpointStore store(dir.path);
    REQUIRE(store.Save("in.a", "dot").ok());
    REQUIRE(store.Save("in_a", "underscore").ok());
    REQUIRE(store.Save("in/a%", "slash").ok());
    CHECK(store.Load("in.a") == "dot");
    CHECK(store.Load("in_a") == "underscore");
    CHECK(store.Load("in/a%") == "slash");
    CHECK(store.PathFor("in.a") == dir.path + "/checkpoints/in%2Ea.json");
    // No temp file is left behind.
    CHECK(FilesIn(dir.path + "/checkpoints") ==
          std::vector<std::string>{"NAMES-ESCAPED", "in%2Ea.json", "in%2Fa%25.json", "in_a.json"});
  }

  TEST_CASE("a state dir from before escaped names resumes from the old file name") {
    ScratchDir dir;
    fs::create_directories(dir.path + "/checkpoints");
    std::ofstream(dir.path + "/checkpoints/in_b.json") << "old position";
    CheckpointStore store(dir.path);
    CHECK(store.Load("in.b") == "old position");
    REQUIRE(store.Save("in.b", "new position").ok());
    CHECK(store.Load("in.b") == "new position");
    // A fresh state dir never reads another source's file under the old name.
    ScratchDir fresh;
    CheckpointStore new_store(fresh.path);
    REQUIRE(new_store.Save("in_c", "c's").ok());
    CHECK(!new_store.Load("in.c").has_value());
  }

  TEST_CASE("opening the store removes temp files a killed writer left behind") {
    ScratchDir dir;
    fs::create_directories(dir.path + "/checkpoints");
    std::ofstream(dir.path + "/checkpoints/in.json.4242.00ff00ff00ff00ff.tmp") << "half";
    std::ofstream(dir.path + "/checkpoints/in.json") << "saved";
    CheckpointStore store(dir.path);
    CHECK(FilesIn(dir.path + "/checkpoints") == std::vector<std::string>{"in.json"});
    CHECK(store.Load("in") == "saved");
  }

  TEST_CASE("a failed atomic write names the file, closes its descriptor and removes its temp file") {
    ScratchDir dir;
    fs::create_directories(dir.path + "/taken/sub");  // a non-empty folder where the file should go
    const size_t before = OpenDescriptors();
    Status s = WriteFileAtomic(dir.path + "/taken", "x");
    REQUIRE(!s.ok());
    CHECK(s.message().find(dir.path + "/taken") != std::string::npos);
    CHECK(OpenDescriptors() == before);
    CHECK(FilesIn(dir.path) == std::vector<std::string>{"taken"});
    Status missing = WriteFileAtomic(dir.path + "/no/such/folder/f.json", "x");
    REQUIRE(!missing.ok());
    CHECK(missing.message().find("no/such/folder/f.json.") != std::string::npos);
    CHECK(OpenDescriptors() == before);
  }

  TEST_CASE("the state dir lock admits one holder and names its PID") {
    ScratchDir dir;
    std::optional<StateDirLock> first(std::in_place);
    REQUIRE(first->Acquire(dir.path).ok());
    // flock locks belong to the open file description: a second open in this process conflicts like another
    // process would.
    StateDirLock second;
    Status s = second.Acquire(dir.path);
    REQUIRE(!s.ok());
    CHECK(s.message().find("PID " + std::to_string(::getpid())) != std::string::npos);
    first.reset();  // the holder ends
    CHECK(second.Acquire(dir.path).ok());
  }
}
