// COLLECT_LIST, COLLECT_SET, TOPK, TOPKDISTINCT, HISTOGRAM.
#include <algorithm>
#include <cstdlib>

#include "sql/exec/expression.h"
#include "sql/functions/aggregate/aggregate_config.h"
#include "sql/functions/aggregate/aggregate_families.h"

namespace pipeline::sql {

namespace {

bool ValueLess(const Value& a, const Value& b) {
  auto c = CompareValues(a, b);
  return c ? *c < 0 : a.ToString() < b.ToString();
}

class CollectAcc final : public Accumulator {
 public:
  CollectAcc(bool set, int64_t limit) : set_(set), limit_(limit) {}
  void Add(const std::vector<Value>& a) override {
    const Value& v = a[0];
    if (set_ && std::find(items_.begin(), items_.end(), v) != items_.end()) return;
    if (limit_ > 0 && static_cast<int64_t>(items_.size()) >= limit_) return;
    items_.push_back(v);
  }
  void Undo(const std::vector<Value>& a) override {
    auto it = std::find(items_.begin(), items_.end(), a[0]);
    if (it != items_.end()) items_.erase(it);
  }
  Value Result() const override { return Value(items_); }
  Value Save() const override { return Value(items_); }
  void Restore(const Value& v) override { items_ = v.as_array(); }
  void Merge(const Accumulator& o) override {
    for (const auto& v : static_cast<const CollectAcc&>(o).items_) Add({v});
  }

 private:
  bool set_;
  int64_t limit_;
  Array items_;
};

class TopKAcc final : public Accumulator {
 public:
  TopKAcc(int64_t k, bool distinct) : k_(k), distinct_(distinct) {}
  void Add(const std::vector<Value>& a) override {
    if (a[0].is_null()) return;
    if (distinct_ && std::find(items_.begin(), items_.end(), a[0]) != items_.end()) return;
    items_.push_back(a[0]);
    std::stable_sort(items_.begin(), items_.end(), [](const Value& x, const Value& y) { return ValueLess(y, x); });
    if (static_cast<int64_t>(items_.size()) > k_) items_.resize(k_);
  }
  Value Result() const override { return Value(items_); }
  Value Save() const override { return Value(items_); }
  void Restore(const Value& v) override { items_ = v.as_array(); }
  void Merge(const Accumulator& o) override {
    for (const auto& v : static_cast<const TopKAcc&>(o).items_) Add({v});
  }

 private:
  int64_t k_;
  bool distinct_;
  Array items_;
};

class HistogramAcc final : public Accumulator {
 public:
  void Add(const std::vector<Value>& a) override { Bump(a[0], 1); }
  void Undo(const std::vector<Value>& a) override { Bump(a[0], -1); }
  Value Result() const override { return Value(counts_); }
  Value Save() const override { return Value(counts_); }
  void Restore(const Value& v) override { counts_ = v.as_map(); }
  void Merge(const Accumulator& o) override {
    for (const auto& [k, n] : static_cast<const HistogramAcc&>(o).counts_) Bump(k, n.as_int());
  }

 private:
  void Bump(const Value& k, int64_t by) {
    if (k.is_null()) return;
    for (auto it = counts_.begin(); it != counts_.end(); ++it) {
      if (it->first == k) {
        int64_t n = it->second.as_int() + by;
        if (n <= 0) counts_.erase(it);
        else it->second = Value(n);
        return;
      }
    }
    if (by > 0 && counts_.size() < 1000) counts_.emplace_back(k, Value(by));
  }
  Map counts_;
};

}  // namespace

void RegisterCollectionAggregates(AggregateFunctionRegistry& r) {
  for (bool set : {false, true}) {
    r.Add({set ? "COLLECT_SET" : "COLLECT_LIST", set ? "COLLECT_SET(col) -> ARRAY" : "COLLECT_LIST(col) -> ARRAY",
           set ? "Distinct values of col, in arrival order" : "Values of col, in arrival order",
           [set](const std::vector<SqlType>& t, const std::vector<Value>&) -> Result<BoundAggregate> {
             if (t.size() != 1) return ConfigError("expects one argument");
             int64_t limit = ScopedAggregateProperties::GetInt(
                 set ? "ksql.functions.collect_set.limit" : "ksql.functions.collect_list.limit", 1000);
             return BoundAggregate{SqlType::Array(t[0]), [set, limit] { return std::make_unique<CollectAcc>(set, limit); }, true};
           }});
  }
  for (bool distinct : {false, true}) {
    r.Add({distinct ? "TOPKDISTINCT" : "TOPK", distinct ? "TOPKDISTINCT(col, k) -> ARRAY" : "TOPK(col, k) -> ARRAY",
           distinct ? "The k largest distinct values" : "The k largest values",
           [distinct](const std::vector<SqlType>& t, const std::vector<Value>& lit) -> Result<BoundAggregate> {
             if (t.size() != 2 || lit.size() < 2 || !lit[1].is_int()) return ConfigError("expects (col, k) with a literal k");
             int64_t k = lit[1].as_int();
             return BoundAggregate{SqlType::Array(t[0]), [k, distinct] { return std::make_unique<TopKAcc>(k, distinct); }, false};
           }});
  }
  r.Add({"HISTOGRAM", "HISTOGRAM(col STRING) -> MAP<STRING, BIGINT>", "Count of each distinct value",
         [](const std::vector<SqlType>& t, const std::vector<Value>&) -> Result<BoundAggregate> {
           if (t.size() != 1) return ConfigError("expects one argument");
           return BoundAggregate{SqlType::Map(SqlType::Of(TypeId::kString), SqlType::Of(TypeId::kBigInt)),
                                 [] { return std::make_unique<HistogramAcc>(); }, true};
         }});
}

}  // namespace pipeline::sql
