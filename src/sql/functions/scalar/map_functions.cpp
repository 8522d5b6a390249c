// Map functions: MAP_KEYS, MAP_VALUES, MAP_UNION, AS_MAP, ENTRIES. ksqlDB map keys are strings; maps keep
// insertion order, and ENTRIES can sort by key.
#include <algorithm>

#include "sql/functions/scalar/families.h"
#include "sql/functions/scalar/signature.h"
#include "sql/functions/scalar/value_compare.h"

namespace pipeline::sql::scalar {

namespace {

const SqlType kString = T(TypeId::kString);

SqlType MapValueType(const std::vector<SqlType>& args) {
  for (const SqlType& t : args)
    if (t.id == TypeId::kMap && t.element) return *t.element;
  return SqlType();
}

void Put(Map& m, const Value& key, const Value& value) {
  auto it = std::find_if(m.begin(), m.end(), [&](const auto& e) { return e.first == key; });
  if (it != m.end()) it->second = value;
  else m.emplace_back(key, value);
}

}  // namespace

void RegisterMapFunctions(ScalarFunctionRegistry& reg) {
  reg.Add(FunctionBuilder("MAP_KEYS", "map", "The keys of a map, as an array.")
              .Overload("(map MAP<STRING, T>) -> ARRAY<STRING>", Returns(SqlType::Array(kString), [](const Args& a, EvalContext&) {
                Array out;
                for (const auto& [k, v] : a[0].as_map()) out.push_back(k);
                return Value(std::move(out));
              }))
              .Build());
  reg.Add(FunctionBuilder("MAP_VALUES", "map", "The values of a map, as an array.")
              .Overload("(map MAP<STRING, T>) -> ARRAY<T>", [](const std::vector<SqlType>& args) -> Result<BoundScalar> {
                return BoundScalar{SqlType::Array(MapValueType(args)), [](const Args& a, EvalContext&) {
                                     Array out;
                                     for (const auto& [k, v] : a[0].as_map()) out.push_back(v);
                                     return Value(std::move(out));
                                   }, true};
              })
              .Build());
  reg.Add(FunctionBuilder("MAP_UNION", "map",
                          "The entries of both maps; map2 wins on equal keys. A NULL map counts as empty; NULL if both are.")
              .Overload("(map1 MAP<STRING, T>, map2 MAP<STRING, T>) -> MAP<STRING, T>",
                        ReturnsArgType(0, [](const Args& a, EvalContext&) -> Value {
                          if (a[0].is_null()) return a[1];
                          if (a[1].is_null()) return a[0];
                          Map out = a[0].as_map();
                          for (const auto& [k, v] : a[1].as_map()) Put(out, k, v);
                          return Value(std::move(out));
                        }, false))
              .Build());
  reg.Add(FunctionBuilder("AS_MAP", "map", "A map from a list of keys and a list of values (extra values are dropped).")
              .Overload("(keys ARRAY<STRING>, vals ARRAY<T>) -> MAP<STRING, T>", [](const std::vector<SqlType>& args) -> Result<BoundScalar> {
                SqlType value_type = args.size() > 1 && args[1].id == TypeId::kArray && args[1].element ? *args[1].element : SqlType();
                return BoundScalar{SqlType::Map(kString, value_type), [](const Args& a, EvalContext&) {
                                     const Array& keys = a[0].as_array();
                                     const Array& vals = a[1].as_array();
                                     Map out;
                                     for (size_t i = 0; i < keys.size(); ++i) Put(out, keys[i], i < vals.size() ? vals[i] : Value());
                                     return Value(std::move(out));
                                   }, true};
              })
              .Build());
  reg.Add(FunctionBuilder("ENTRIES", "map",
                          "The entries of a map as an array of STRUCT<K STRING, V ...>, sorted by key when sorted is true.")
              .Overload("(map MAP<STRING, T>, sorted BOOLEAN) -> ARRAY<STRUCT<K STRING, V T>>",
                        [](const std::vector<SqlType>& args) -> Result<BoundScalar> {
                          SqlType entry = SqlType::Struct({{"K", MakeType(kString)}, {"V", MakeType(MapValueType(args))}});
                          auto names = std::make_shared<FieldNames>(FieldNames{{"K", "V"}});
                          ScalarImpl impl = [names](const Args& a, EvalContext&) {
                            Map entries = a[0].as_map();
                            if (a[1].as_bool())
                              std::stable_sort(entries.begin(), entries.end(),
                                               [](const auto& x, const auto& y) { return CompareValues(x.first, y.first) < 0; });
                            Array out;
                            out.reserve(entries.size());
                            for (auto& [k, v] : entries) out.push_back(Value(Struct{names, {k, v}}));
                            return Value(std::move(out));
                          };
                          return BoundScalar{SqlType::Array(entry), std::move(impl), true};
                        })
              .Build());
}

}  // namespace pipeline::sql::scalar
