#include "connectors/syslog/syslog_framing.h"

#include <doctest/doctest.h>

namespace pipeline::syslog {
namespace {

std::vector<Frame> Split(std::initializer_list<std::string_view> pieces, size_t max = 100) {
  FrameSplitter splitter(max);
  std::vector<Frame> out;
  for (auto piece : pieces) splitter.Feed(piece, out);
  splitter.Finish(out);
  return out;
}

TEST_SUITE("connectors.syslog.framing") {
  TEST_CASE("newline framing, split anywhere, CRLF and blank lines, a last line without newline") {
    auto frames = Split({"<13>a\n<1", "3>b\r\n\n<13>", "c"});
    REQUIRE(frames.size() == 3);
    CHECK(frames[0].bytes == "<13>a");
    CHECK(frames[1].bytes == "<13>b");
    CHECK(frames[2].bytes == "<13>c");
  }

  TEST_CASE("octet counting: detected from the first byte, messages may hold newlines") {
    auto frames = Split({"6 <13>a", "b9 <13>x\ny z", "5 <13>q"});
    REQUIRE(frames.size() == 3);
    CHECK(frames[0].bytes == "<13>ab");
    CHECK(frames[1].bytes == "<13>x\ny z");
    CHECK(frames[2].bytes == "<13>q");
    CHECK_FALSE(frames[2].truncated);
  }

  TEST_CASE("too long: cut at max_message_bytes and marked, the rest dropped") {
    auto lines = Split({std::string(30, 'x') + "\n", "<13>ok\n"}, 10);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].bytes == std::string(10, 'x'));
    CHECK(lines[0].truncated);
    CHECK(lines[1].bytes == "<13>ok");
    auto endless = Split({std::string(25, 'y'), std::string(25, 'y'), "\n<13>z\n"}, 10);
    REQUIRE(endless.size() == 2);
    CHECK(endless[0].truncated);
    CHECK(endless[1].bytes == "<13>z");
    auto counted = Split({"20 " + std::string(20, 'c') + "3 <1>"}, 10);
    REQUIRE(counted.size() == 2);
    CHECK(counted[0].bytes == std::string(10, 'c'));
    CHECK(counted[0].truncated);
    CHECK(counted[1].bytes == "<1>");
  }

  TEST_CASE("a stream that starts with a digit but has no length is read as lines") {
    auto frames = Split({"12abc def\n<13>x\n"});
    REQUIRE(frames.size() == 2);
    CHECK(frames[0].bytes == "12abc def");
    CHECK(frames[1].bytes == "<13>x");
  }
}

}  // namespace
}  // namespace pipeline::syslog
