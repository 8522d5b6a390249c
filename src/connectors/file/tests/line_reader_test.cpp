#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "connectors/common/line_reader.h"
#include "connectors/file/tests/test_files.h"

namespace pipeline::file {
namespace {

struct Line {
  std::string text;
  int64_t offset;
  bool too_long;
  bool operator==(const Line&) const = default;
};

std::vector<Line> ReadAll(const std::string& path, size_t chunk, size_t max_line) {
  int fd = ::open(path.c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  LineReader reader(chunk, max_line);
  std::vector<Line> lines;
  std::string_view line;
  int64_t offset = 0;
  for (;;) {
    auto next = reader.NextLine(line, offset);
    if (next == LineReader::Next::kNeedMore) {
      if (reader.Fill(fd, true) > 0) continue;
      if (reader.TakeRest(line, offset)) lines.push_back({std::string(line), offset, false});
      break;
    }
    lines.push_back({std::string(line), offset, next == LineReader::Next::kTooLong});
  }
  ::close(fd);
  return lines;
}

TEST_SUITE("connectors.file") {
  TEST_CASE("LineReader splits across chunk boundaries and keeps byte offsets") {
    testing::TempDir dir;
    testing::WriteText(dir / "a.txt", "alpha\nbe\r\n\ngamma-delta-epsilon\nlast");
    for (size_t chunk : {1, 3, 7, 1024}) {
      auto lines = ReadAll(dir / "a.txt", chunk, 1000);
      std::vector<Line> expected = {
          {"alpha", 0, false}, {"be", 6, false}, {"", 10, false}, {"gamma-delta-epsilon", 11, false}, {"last", 31, false}};
      CHECK_MESSAGE(lines == expected, "chunk " << chunk);
    }
  }

  TEST_CASE("LineReader flags over-long lines and resynchronises at the next newline") {
    testing::TempDir dir;
    testing::WriteText(dir / "a.txt", "ok\n0123456789abcdef\nnext\n");
    for (size_t chunk : {2, 5, 64}) {
      auto lines = ReadAll(dir / "a.txt", chunk, 8);
      REQUIRE(lines.size() == 3);
      CHECK(lines[0] == Line{"ok", 0, false});
      CHECK(lines[1].too_long);
      CHECK(lines[1].offset == 3);
      CHECK(lines[1].text == "01234567");
      CHECK(lines[2] == Line{"next", 20, false});
    }
  }

  TEST_CASE("LineReader shows the complete lines buffered, with padding readable after them") {
    testing::TempDir dir;
    testing::WriteText(dir / "a.txt", "one\ntwo\nthr");
    int fd = ::open((dir / "a.txt").c_str(), O_RDONLY);
    LineReader reader(1024, 100);
    REQUIRE(reader.Fill(fd, true) == 11);
    std::string_view lines = reader.BufferedLines();
    CHECK(lines == "one\ntwo\n");
    CHECK(reader.ReadableAfter(lines) >= 64 + 3);
    std::string_view line;
    int64_t offset = 0;
    REQUIRE(reader.NextLine(line, offset) == LineReader::Next::kLine);
    CHECK(reader.BufferedLines() == "two\n");
    REQUIRE(reader.NextLine(line, offset) == LineReader::Next::kLine);
    CHECK(reader.BufferedLines().empty());
    ::close(fd);
  }

  TEST_CASE("LineReader resumes from an offset") {
    testing::TempDir dir;
    testing::WriteText(dir / "a.txt", "one\ntwo\nthree\n");
    int fd = ::open((dir / "a.txt").c_str(), O_RDONLY);
    LineReader reader(4, 100);
    reader.Reset(4);
    std::string_view line;
    int64_t offset = 0;
    while (reader.NextLine(line, offset) == LineReader::Next::kNeedMore) REQUIRE(reader.Fill(fd, true) > 0);
    CHECK(line == "two");
    CHECK(offset == 4);
    CHECK(reader.consumed_offset() == 8);
    ::close(fd);
  }
}

}  // namespace
}  // namespace pipeline::file
