#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "formats/format.h"
#include "formats/json.h"

using namespace pipeline;

TEST_SUITE("formats") {
  TEST_CASE("json round trip keeps types and order") {
    auto v = ParseJson(R"({"b":1,"a":[true,null,2.5],"s":"q\"\n","o":{"x":-3}})");
    REQUIRE(v.ok());
    CHECK(ToJson(*v) == R"({"b":1,"a":[true,null,2.5],"s":"q\"\n","o":{"x":-3}})");
    CHECK(ToJson(Value(2.0)) == "2.0");
  }
  TEST_CASE("records of one shape share field names") {
    JsonReader reader;
    auto a = reader.Parse(R"({"x":1,"y":2})");
    auto b = reader.Parse(R"({"x":3,"y":4})");
    REQUIRE((a.ok() && b.ok()));
    CHECK(a->as_struct().names.get() == b->as_struct().names.get());
  }
  TEST_CASE("a projected reader keeps the demanded fields, in document order, and knows their shapes") {
    JsonReader reader;
    reader.Project(FieldDemand::Of({"status", "page", "id"}));
    auto a = reader.Parse(R"({"page":"/a","bytes":1,"status":404,"time":"t"})");
    auto b = reader.Parse(R"({"page":"/b","bytes":2,"status":200,"time":"u"})");
    auto c = reader.Parse(R"({"status":500,"page":"/c","id":7})");
    auto d = reader.Parse(R"({"page":"/d","status":1,"page":"/e"})");  // a repeated key is kept twice
    REQUIRE((a.ok() && b.ok() && c.ok() && d.ok()));
    CHECK(ToJson(*a) == R"({"page":"/a","status":404})");
    CHECK(a->as_struct().names.get() == b->as_struct().names.get());
    CHECK(ToJson(*c) == R"({"status":500,"page":"/c","id":7})");
    CHECK(ToJson(*d) == R"({"page":"/d","status":1,"page":"/e"})");
    CHECK_FALSE(reader.Parse(R"({"page":"/a","skipped":[1,]})").ok());  // dropped fields are still validated
    reader.Project(FieldDemand::OfIgnoringCase({"PAGE"}));
    auto e = reader.Parse(R"({"Page":"/f","status":1})");
    REQUIRE(e.ok());
    CHECK(ToJson(*e) == R"({"Page":"/f"})");
  }
  TEST_CASE("a projected reader converts demanded objects, arrays of objects and deeper nesting") {
    // Converting a nested object adds key lists for deeper levels while the top level is still filling its own
    // (issue 18: a reference to the top level's list dangled once the nested conversion grew the list of lists).
    const std::vector<std::pair<std::string, std::string>> cases = {
        {R"({"s":{"x":1},"z":2})", R"({"s":{"x":1},"z":2})"},
        {R"({"a":[{"x":1},{"y":{"z":[{"w":2}]}}],"skip":{"q":1},"s":{"x":{"y":{"z":3}}}})",
         R"({"a":[{"x":1},{"y":{"z":[{"w":2}]}}],"s":{"x":{"y":{"z":3}}}})"},
        {R"({"s":{"a":{"b":{"c":{"d":{"e":{"f":1}}}}},"g":2},"z":{"k":[1,{"m":null}]}})",
         R"({"s":{"a":{"b":{"c":{"d":{"e":{"f":1}}}}},"g":2},"z":{"k":[1,{"m":null}]}})"},
    };
    for (bool ignoring_case : {false, true}) {
      JsonReader reader;
      reader.Project(ignoring_case ? FieldDemand::OfIgnoringCase({"S", "Z", "A"}) : FieldDemand::Of({"s", "z", "a"}));
      for (int round = 0; round < 3; ++round) {
        for (const auto& item : cases) {
          const auto& text = item.first;  // not a structured binding: clang 14 cannot capture one (CAPTURE)
          const auto& expected = item.second;
          CAPTURE(text);
          auto v = reader.Parse(text);
          REQUIRE(v.ok());
          CHECK(ToJson(*v) == expected);
        }
      }
    }
  }
  TEST_CASE("the json encoder writes structs of changing shapes") {
    auto enc = MakeEncoder("json");
    REQUIRE(enc.ok());
    std::string out;
    Record r;
    for (const char* text : {R"({"a":1,"b\"":"x"})", R"({"a":2,"b\"":"y"})", R"({"c":[1,{"d":null}]})", "{}"}) {
      auto v = ParseJson(text);
      REQUIRE(v.ok());
      r.value = *v;
      (*enc)->Encode(r, out);
      out += '\n';
    }
    CHECK(out == "{\"a\":1,\"b\\\"\":\"x\"}\n{\"a\":2,\"b\\\"\":\"y\"}\n{\"c\":[1,{\"d\":null}]}\n{}\n");
  }
  TEST_CASE("lines parsed ahead give what parsing each line alone gives, errors included") {
    // Whole documents, then lines a block parse cannot take as one document: two documents, a scalar, blanks
    // around a document, an error (which stops the block parse), and documents after it.
    const std::vector<std::string> lines = {
        R"({"a":1,"s":"x"})", R"([1,2])", R"({"a":2} {"a":3})", "42", R"(  {"a":4} )", R"({"a":5,})",
        R"({"a":6})", R"({"a":"\u00e9"})", "{", "}", R"({"a":7})"};
    std::string buffer;
    for (const auto& line : lines) buffer += line + "\n";
    buffer.append(64, ' ');  // the padding a line reader keeps
    const std::string_view all(buffer.data(), buffer.size() - 64);
    JsonReader ahead;
    ahead.ParseAhead(all, 64);
    size_t at = 0;
    for (const auto& line : lines) {
      std::string_view text(buffer.data() + at, line.size());
      at += line.size() + 1;
      auto got = ahead.Parse(text, buffer.size() - at + 1);
      auto alone = ParseJson(line);
      CAPTURE(line);
      REQUIRE(got.ok() == alone.ok());
      if (got.ok()) CHECK(ToJson(*got) == ToJson(*alone));
      else CHECK(got.error().message() == alone.error().message());
    }
  }
  TEST_CASE("a json line that is not an object is a data error, projected or not (issue 19)") {
    for (bool projected : {false, true}) {
      auto decoder = MakeDecoder("json");
      REQUIRE(decoder.ok());
      if (projected) (*decoder)->Project(FieldDemand::Of({"a"}));
      for (const std::string line : {"[1,2,3]", "\"text\"", "42", "true", "null"}) {
        CAPTURE(line);
        Record r;
        Status s = (*decoder)->Decode(line, r);
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().kind() == ErrorKind::kData);
        CHECK(s.message().find("expected a JSON object") != std::string::npos);
      }
      Record r;
      REQUIRE((*decoder)->Decode(R"({"a":1})", r).ok());
      CHECK(r.value.Field("a")->as_int() == 1);
    }
  }
  TEST_CASE("bytes that are not UTF-8 are written to JSON as U+FFFD, so that the output reads back (issue 19)") {
    // Found by fuzzing (tests/fuzz/lines_decoder, pgoutput): a `lines` source gave a Latin-1 line to a json sink
    // as it was, and pipe's own json source then refused the file.
    auto lines = MakeDecoder("lines");
    REQUIRE(lines.ok());
    Record r;
    REQUIRE((*lines)->Decode("caf\xe9 cr\xc3\xa8me \xf0\x9f\x98\x80", r).ok());
    const std::string written = ToJson(r.value);
    CHECK(written == "{\"message\":\"caf\xef\xbf\xbd cr\xc3\xa8me \xf0\x9f\x98\x80\"}");
    auto back = ParseJson(written);
    REQUIRE(back.ok());
    // A stray continuation byte, a cut sequence, an overlong form, a surrogate, beyond U+10FFFF, a lead byte never
    // used: one U+FFFD per byte that starts no well-formed sequence.
    const std::string replacement = "\xef\xbf\xbd";
    CHECK(ToJson(Value(std::string("a\x80" "b"))) == "\"a" + replacement + "b\"");
    CHECK(ToJson(Value(std::string("\xc3"))) == "\"" + replacement + "\"");
    CHECK(ToJson(Value(std::string("\xe2\x82"))) == "\"" + replacement + replacement + "\"");
    CHECK(ToJson(Value(std::string("\xc0\xaf"))) == "\"" + replacement + replacement + "\"");
    CHECK(ToJson(Value(std::string("\xed\xa0\x80"))) == "\"" + replacement + replacement + replacement + "\"");
    CHECK(ToJson(Value(std::string("\xf4\x90\x80\x80"))) ==
          "\"" + replacement + replacement + replacement + replacement + "\"");
    CHECK(ToJson(Value(std::string("\xff\n"))) == "\"" + replacement + "\\n\"");
    for (const std::string s : {"a\x80" "b", "\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe9t\xe9"})
      CHECK(ParseJson(ToJson(Value(s))).ok());
    CHECK(ToJson(Value(std::string("\xe2\x82\xac \xc2\xa0 \x7f"))) == "\"\xe2\x82\xac \xc2\xa0 \x7f\"");
  }
  TEST_CASE("invalid json is a data error") {
    auto v = ParseJson("{nope");
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().kind() == ErrorKind::kData);
  }
  TEST_CASE("csv cells are strings unless typed; leading zeros stay") {
    auto plain = MakeDecoder("csv");
    REQUIRE(plain.ok());
    Record r;
    REQUIRE((*plain)->Decode("zip,n,empty", r).ok());
    REQUIRE((*plain)->Decode("01234,7,", r).ok());
    CHECK(ToJson(r.value) == R"({"zip":"01234","n":"7","empty":null})");
    CsvOptions inferred{.delimiter = '|', .quote = '\'', .infer_types = true, .null_value = "NULL"};
    auto dec = MakeDecoder("csv", inferred);
    REQUIRE(dec.ok());
    REQUIRE((*dec)->Decode("zip|n|x|d|z|q", r).ok());
    REQUIRE((*dec)->Decode("01234|-7|NULL|0.5|0|'NULL'", r).ok());
    CHECK(ToJson(r.value) == R"({"zip":"01234","n":-7,"x":null,"d":0.5,"z":0,"q":"NULL"})");
  }
  TEST_CASE("csv: a byte-order mark is no part of the first column; a repeated column name and invalid UTF-8 are errors") {
    auto bom = MakeDecoder("csv");
    REQUIRE(bom.ok());
    Record r;
    REQUIRE((*bom)->Decode("\xEF\xBB\xBF" "a,b", r).ok());
    REQUIRE((*bom)->Decode("1,2", r).ok());
    CHECK(ToJson(r.value) == R"({"a":"1","b":"2"})");
    auto latin1 = (*bom)->Decode("\xE9t\xE9,2", r);
    REQUIRE_FALSE(latin1.ok());
    CHECK(latin1.message().find("not valid UTF-8") != std::string::npos);
    auto twice = MakeDecoder("csv");
    REQUIRE(twice.ok());
    auto header = (*twice)->Decode("a,b,a", r);
    REQUIRE_FALSE(header.ok());
    CHECK(header.message() == "the CSV header names column 'a' twice (columns 1 and 3)");
    CHECK_FALSE((*twice)->ExpectsHeader());  // the next line is not taken for the header
    auto next = (*twice)->Decode("1,2,3", r);
    REQUIRE_FALSE(next.ok());
    CHECK(next.message() == header.message());
  }
  TEST_CASE("csv header then typed cells, quoted fields") {
    CsvOptions typed{.columns = {{"id", "int"}, {"score", "double"}, {"ok", "boolean"}}};
    auto dec = MakeDecoder("csv", typed);
    REQUIRE(dec.ok());
    Record r;
    CHECK((*dec)->ExpectsHeader());
    REQUIRE((*dec)->Decode("id,name,score,ok", r).ok());
    REQUIRE((*dec)->Decode("7,\"a, \"\"b\"\"\",1.5,true", r).ok());
    CHECK(ToJson(r.value) == R"({"id":7,"name":"a, \"b\"","score":1.5,"ok":true})");
    auto wrong = (*dec)->Decode("x,n,1,true", r);
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.message() == "CSV column id: 'x' is not an int");
    CHECK_FALSE((*dec)->Decode("1,2", r).ok());
    auto enc = MakeEncoder("csv");
    REQUIRE(enc.ok());
    std::string out;
    (*enc)->Encode(r, out);
    CHECK(out == "7,\"a, \"\"b\"\"\",1.5,true");
  }
  TEST_CASE("csv written with delimiter, quote, header and null_value reads back the same with those options") {
    CsvOptions options{.delimiter = ';', .quote = '\'', .null_value = "NULL"};
    auto dec = MakeDecoder("csv", options);
    REQUIRE(dec.ok());
    Record r;
    REQUIRE((*dec)->Decode("zip;note;missing;word", r).ok());
    REQUIRE((*dec)->Decode("01234;'it''s; odd';NULL;'NULL'", r).ok());
    const std::string read = ToJson(r.value);
    CHECK(read == R"({"zip":"01234","note":"it's; odd","missing":null,"word":"NULL"})");
    auto enc = MakeEncoder("csv", options);
    REQUIRE(enc.ok());
    const std::string header = (*enc)->Header(r);
    std::string line;
    (*enc)->Encode(r, line);
    CHECK(header == "zip;note;missing;word");
    CHECK(line == "01234;'it''s; odd';NULL;'NULL'");
    auto again = MakeDecoder("csv", options);
    Record back;
    REQUIRE((*again)->Decode(header, back).ok());
    REQUIRE((*again)->Decode(line, back).ok());
    CHECK(ToJson(back.value) == read);
    // The default null_value is the empty cell: an empty string is quoted so that it does not read back as null.
    auto plain = MakeEncoder("csv");
    Record empty;
    REQUIRE(MakeDecoder("json").value()->Decode(R"({"a":"","b":null,"c":"x,y"})", empty).ok());
    std::string out;
    (*plain)->Encode(empty, out);
    CHECK(out == R"("",,"x,y")");
  }
  TEST_CASE("csv written without a header, or with columns picking and ordering the fields") {
    Record r;
    REQUIRE(MakeDecoder("json").value()->Decode(R"({"a":1,"b":"two","c":true})", r).ok());
    auto headless = MakeEncoder("csv", CsvOptions{.header = false});
    CHECK((*headless)->Header(r).empty());
    auto picked = MakeEncoder("csv", CsvOptions{.delimiter = '\t', .columns = {{"c"}, {"a"}, {"zz"}}});
    CHECK((*picked)->Header(r) == "c\ta\tzz");
    std::string out;
    (*picked)->Encode(r, out);
    CHECK(out == "true\t1\t");
  }
  TEST_CASE("lines put the text into message") {
    auto dec = MakeDecoder("lines");
    Record r;
    REQUIRE((*dec)->Decode("hello world\r", r).ok());
    CHECK(r.value.Field("message")->as_string() == "hello world");
  }
  TEST_CASE("unknown format names the choices") {
    auto dec = MakeDecoder("xml");
    REQUIRE_FALSE(dec.ok());
    CHECK(dec.error().message().find("json, csv, lines") != std::string::npos);
  }
}
