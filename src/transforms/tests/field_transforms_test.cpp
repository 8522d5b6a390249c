// InsertField, ReplaceField, MaskField, Cast, ExtractField, ValueToKey, HoistField, Flatten.
#include <doctest/doctest.h>

#include "transforms/tests/transform_test_support.h"

namespace pipeline {
using namespace pipeline::testing;

namespace {
Value Click() { return MakeStruct({{"userid", "u1"}, {"page", "/home"}, {"status", 200}, {"agent", "curl"}}); }
}  // namespace

TEST_SUITE("transforms.fields") {
  TEST_CASE("InsertField adds metadata and a static value; required fields fail without metadata") {
    auto t = BuildTransform(
        "type: InsertField\ntopic.field: topic\npartition.field: part\noffset.field: off!\n"
        "timestamp.field: ts\nstatic.field: dc\nstatic.value: eu\n");
    Record r = RecordOf(Click());
    r.offset = 42;
    r.timestamp = 1700000000000;
    Record out = Applied(*t, r);
    CHECK(NamesOf(out.value) == "userid,page,status,agent,topic,part,off,ts,dc");
    CHECK(*out.value.Field("topic") == Value("orders"));
    CHECK(out.value.Field("part")->is_null());
    CHECK(*out.value.Field("off") == Value(42));
    CHECK(*out.value.Field("ts") == Value(Timestamp{1700000000000}));
    CHECK(*out.value.Field("dc") == Value("eu"));
    r.offset = -1;
    auto failed = t->Apply(r);
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().kind() == ErrorKind::kData);
    CHECK(failed.error().message().find("off") != std::string::npos);
  }

  TEST_CASE("InsertField shares output names between records of one shape and passes tombstones") {
    auto t = BuildTransform("type: InsertField\nstatic.field: dc\nstatic.value: eu\n");
    Value shared = MakeStruct({{"x", 1}});
    Record c = Applied(*t, RecordOf(shared));
    Record d = Applied(*t, RecordOf(shared));
    CHECK(c.value.as_struct().names.get() == d.value.as_struct().names.get());
    Record tomb = Applied(*t, RecordOf(Value()));
    CHECK(tomb.value.is_null());
    Record text = RecordOf(Value("text"));
    CHECK_FALSE(t->Apply(text).ok());
  }

  TEST_CASE("InsertField$Key works on the key; maps stay maps") {
    auto t = BuildTransform("type: InsertField$Key\ntopic.field: t\n");
    Record r = RecordOf(Click());
    r.key = Value(Map{{Value("id"), Value(1)}});
    Record out = Applied(*t, r);
    CHECK(out.key.is_map());
    CHECK(*out.key.Field("t") == Value("orders"));
    CHECK(out.value == Click());
  }

  TEST_CASE("ReplaceField include, exclude, renames (string, list and map forms)") {
    auto inc = BuildTransform("type: ReplaceField\ninclude: [userid, page, status]\n");
    Record out = Applied(*inc, RecordOf(Click()));
    CHECK(NamesOf(out.value) == "userid,page,status");
    CHECK(*out.value.Field("status") == Value(200));

    auto exc = BuildTransform("type: ReplaceField\nexclude: agent,page\nrenames: \"userid:user,status:code\"\n");
    out = Applied(*exc, RecordOf(Click()));
    CHECK(NamesOf(out.value) == "user,code");

    auto list = BuildTransform("type: ReplaceField\nrenames: [\"userid:user\", \"page:path\"]\n");
    CHECK(NamesOf(Applied(*list, RecordOf(Click())).value) == "user,path,status,agent");
    auto map = BuildTransform("type: ReplaceField\nrenames: {userid: user}\n");
    CHECK(NamesOf(Applied(*map, RecordOf(Click())).value) == "user,page,status,agent");

    auto bad = TryBuildTransform("type: ReplaceField\nrenames: \"userid\"\n");
    CHECK_FALSE(bad.ok());
  }

  TEST_CASE("ReplaceField reuses output names per input shape and handles maps") {
    auto t = BuildTransform("type: ReplaceField\ninclude: [a, c]\n");
    Value v1 = MakeStruct({{"a", 1}, {"b", 2}, {"c", 3}});
    Value v2 = MakeStruct({{"c", 1}, {"a", 2}});
    Record o1 = Applied(*t, RecordOf(v1));
    Record o2 = Applied(*t, RecordOf(v2));
    Record o3 = Applied(*t, RecordOf(v1));
    CHECK(NamesOf(o1.value) == "a,c");
    CHECK(NamesOf(o2.value) == "c,a");
    CHECK(o1.value.as_struct().names.get() == o3.value.as_struct().names.get());
    Record m = Applied(*t, RecordOf(Value(Map{{Value("a"), Value(1)}, {Value("b"), Value(2)}})));
    CHECK(m.value.as_map().size() == 1);
  }

  TEST_CASE("ReplaceField stays correct when more shapes alternate than the cache holds") {
    auto t = BuildTransform("type: ReplaceField\nexclude: drop\n");
    std::vector<Value> shapes;
    for (int i = 0; i < 7; ++i)
      shapes.push_back(MakeStruct({{"f" + std::to_string(i), i}, {"drop", 0}, {"g", i * 10}}));
    for (int round = 0; round < 3; ++round) {
      for (int i = 0; i < 7; ++i) {
        Record out = Applied(*t, RecordOf(shapes[static_cast<size_t>(i)]));
        CHECK(NamesOf(out.value) == "f" + std::to_string(i) + ",g");
        CHECK(*out.value.Field("g") == Value(i * 10));
      }
    }
  }

  TEST_CASE("MaskField empties by type or uses the replacement") {
    auto t = BuildTransform("type: MaskField\nfields: [userid, status, missing]\n");
    Record out = Applied(*t, RecordOf(Click()));
    CHECK(*out.value.Field("userid") == Value(""));
    CHECK(*out.value.Field("status") == Value(0));
    CHECK(*out.value.Field("page") == Value("/home"));
    CHECK(out.value.Field("missing") == nullptr);

    auto r = BuildTransform("type: MaskField\nfields: userid,status\nreplacement: \"9\"\n");
    out = Applied(*r, RecordOf(Click()));
    CHECK(*out.value.Field("userid") == Value("9"));
    CHECK(*out.value.Field("status") == Value(9));
    auto bad = BuildTransform("type: MaskField\nfields: status\nreplacement: \"***\"\n");
    Record rec = RecordOf(Click());
    auto failed = bad->Apply(rec);
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().message().find("MaskField") != std::string::npos);
  }

  TEST_CASE("Cast fields and whole values") {
    auto t = BuildTransform("type: Cast\nspec: \"status:string,amount:float64,qty:int8,flag:boolean,n:int32\"\n");
    Value v = MakeStruct({{"status", 200}, {"amount", "12.5"}, {"qty", 300}, {"flag", "TRUE"}, {"n", "-7"}});
    Record out = Applied(*t, RecordOf(v));
    CHECK(*out.value.Field("status") == Value("200"));
    CHECK(*out.value.Field("amount") == Value(12.5));
    CHECK(*out.value.Field("qty") == Value(44));  // 300 wraps to int8 like Java's (byte)
    CHECK(*out.value.Field("flag") == Value(true));
    CHECK(*out.value.Field("n") == Value(-7));

    auto whole = BuildTransform("type: Cast$Key\nspec: int64\n");
    Record k = RecordOf(Click());
    k.key = Value("123");
    CHECK(Applied(*whole, k).key == Value(123));

    auto err = BuildTransform("type: Cast\nspec: status:int32\n");
    Record bad = RecordOf(MakeStruct({{"status", "abc"}}));
    auto failed = err->Apply(bad);
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().kind() == ErrorKind::kData);
    CHECK(failed.error().message().find("Cast") != std::string::npos);
    CHECK(failed.error().message().find("status") != std::string::npos);
    Record range = RecordOf(MakeStruct({{"status", "3000000000"}}));
    CHECK_FALSE(err->Apply(range).ok());
    CHECK_FALSE(TryBuildTransform("type: Cast\nspec: status:uint9\n").ok());
  }

  TEST_CASE("ExtractField takes a field; non-structs are data errors") {
    auto t = BuildTransform("type: ExtractField\nfield: page\n");
    CHECK(Applied(*t, RecordOf(Click())).value == Value("/home"));
    auto missing = BuildTransform("type: ExtractField\nfield: nope\n");
    CHECK(Applied(*missing, RecordOf(Click())).value.is_null());
    Record text = RecordOf(Value("x"));
    auto failed = t->Apply(text);
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().message().find("ExtractField") != std::string::npos);
    auto nested = BuildTransform("type: ExtractField\nfield: a.b\nfield.syntax.version: v2\n");
    CHECK(Applied(*nested, RecordOf(MakeStruct({{"a", MakeStruct({{"b", 5}})}}))).value == Value(5));
  }

  TEST_CASE("ValueToKey and HoistField") {
    auto t = BuildTransform("type: ValueToKey\nfields: [userid, status]\n");
    Record out = Applied(*t, RecordOf(Click()));
    CHECK(out.key == MakeStruct({{"userid", "u1"}, {"status", 200}}));
    auto h = BuildTransform("type: HoistField\nfield: line\n");
    CHECK(Applied(*h, RecordOf(Value("hello"))).value == MakeStruct({{"line", "hello"}}));
  }

  TEST_CASE("Flatten nested structs and maps") {
    auto t = BuildTransform("type: Flatten\ndelimiter: \"_\"\n");
    Value v = MakeStruct({{"id", 1},
                          {"user", MakeStruct({{"name", "ann"}, {"geo", MakeStruct({{"cc", "FR"}})}})},
                          {"tags", Array{Value("a")}}});
    Record out = Applied(*t, RecordOf(v));
    CHECK(NamesOf(out.value) == "id,user_name,user_geo_cc,tags");
    CHECK(*out.value.Field("user_geo_cc") == Value("FR"));
    CHECK(Applied(*t, RecordOf(v)).value.as_struct().names.get() == out.value.as_struct().names.get());

    Value with_null = MakeStruct({{"id", 1}, {"user", nullptr}, {"tags", Array{}}});
    CHECK(NamesOf(Applied(*t, RecordOf(with_null)).value) == "id,user,tags");

    Value with_map = MakeStruct({{"id", 1}, {"attrs", Value(Map{{Value("k"), Value("v")}})}});
    CHECK(NamesOf(Applied(*t, RecordOf(with_map)).value) == "id,attrs_k");

    auto dot = BuildTransform("type: Flatten\n");
    Value m = Value(Map{{Value("a"), Value(Map{{Value("b"), Value(1)}})}});
    Record mo = Applied(*dot, RecordOf(m));
    REQUIRE(mo.value.is_map());
    CHECK(*mo.value.Field("a.b") == Value(1));
  }
}

}  // namespace pipeline
