// COUNT, SUM, SUM_LIST, AVG, MIN, MAX, COUNT_DISTINCT, ATTR.
#include <map>
#include <set>

#include "core/decimal.h"
#include "sql/exec/expression.h"
#include "sql/functions/aggregate/aggregate_families.h"

namespace pipeline::sql {

namespace {

class CountAcc final : public Accumulator {
 public:
  explicit CountAcc(bool star) : star_(star) {}
  void Add(const std::vector<Value>& a) override { if (star_ || a.empty() || !a[0].is_null()) ++n_; }
  void Undo(const std::vector<Value>& a) override { if (star_ || a.empty() || !a[0].is_null()) --n_; }
  Value Result() const override { return Value(n_); }
  Value Save() const override { return Value(n_); }
  void Restore(const Value& v) override { n_ = v.as_int(); }
  void Merge(const Accumulator& o) override { n_ += static_cast<const CountAcc&>(o).n_; }

 private:
  bool star_;
  int64_t n_ = 0;
};

class SumAcc final : public Accumulator {
 public:
  explicit SumAcc(SqlType t) : t_(std::move(t)) {}
  void Add(const std::vector<Value>& a) override { Apply(a[0], 1); }
  void Undo(const std::vector<Value>& a) override { Apply(a[0], -1); }
  Value Result() const override {
    switch (t_.id) {
      case TypeId::kInt: return Value(WrapInt(i_));
      case TypeId::kBigInt: return Value(i_);
      case TypeId::kDouble: return Value(d_);
      default: {
        Decimal r = dec_;
        r.precision = t_.precision;
        return Value(Rescale(r, t_.scale));
      }
    }
  }
  Value Save() const override { return Result(); }
  void Restore(const Value& v) override {
    if (v.is_int()) i_ = v.as_int();
    else if (v.is_double()) d_ = v.as_double();
    else if (v.is_decimal()) dec_ = v.as_decimal();
  }
  void Merge(const Accumulator& o) override {
    const auto& s = static_cast<const SumAcc&>(o);
    i_ += s.i_;
    d_ += s.d_;
    Decimal x = Rescale(dec_, t_.scale), y = Rescale(s.dec_, t_.scale);
    x.unscaled += y.unscaled;
    dec_ = x;
  }

 private:
  static int64_t WrapInt(int64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(v)); }
  void Apply(const Value& v, int sign) {
    if (v.is_null()) return;
    if (t_.id == TypeId::kDouble) d_ += sign * v.ToDouble();
    else if (t_.id == TypeId::kDecimal) {
      Decimal x = Rescale(dec_, t_.scale), y = Rescale(v.is_decimal() ? v.as_decimal() : DecimalFromInt(v.as_int()), t_.scale);
      x.unscaled += sign * y.unscaled;
      dec_ = x;
    } else {
      i_ = static_cast<int64_t>(static_cast<uint64_t>(i_) + static_cast<uint64_t>(sign * v.as_int()));
    }
  }
  SqlType t_;
  int64_t i_ = 0;
  double d_ = 0;
  Decimal dec_{};
};

class AvgAcc final : public Accumulator {
 public:
  void Add(const std::vector<Value>& a) override { if (!a[0].is_null()) { sum_ += a[0].ToDouble(); ++n_; } }
  void Undo(const std::vector<Value>& a) override { if (!a[0].is_null()) { sum_ -= a[0].ToDouble(); --n_; } }
  Value Result() const override { return n_ == 0 ? Value(0.0) : Value(sum_ / static_cast<double>(n_)); }
  Value Save() const override { return Value(Array{Value(sum_), Value(n_)}); }
  void Restore(const Value& v) override { sum_ = v.as_array()[0].as_double(); n_ = v.as_array()[1].as_int(); }
  void Merge(const Accumulator& o) override { sum_ += static_cast<const AvgAcc&>(o).sum_; n_ += static_cast<const AvgAcc&>(o).n_; }

 private:
  double sum_ = 0;
  int64_t n_ = 0;
};

class MinMaxAcc final : public Accumulator {
 public:
  explicit MinMaxAcc(bool max) : max_(max) {}
  void Add(const std::vector<Value>& a) override {
    if (a[0].is_null()) return;
    if (v_.is_null()) { v_ = a[0]; return; }
    auto c = CompareValues(a[0], v_);
    if (c && (max_ ? *c > 0 : *c < 0)) v_ = a[0];
  }
  Value Result() const override { return v_; }
  Value Save() const override { return v_; }
  void Restore(const Value& v) override { v_ = v; }
  void Merge(const Accumulator& o) override { Add({static_cast<const MinMaxAcc&>(o).v_}); }

 private:
  bool max_;
  Value v_;
};

struct KeyLess {
  bool operator()(const Value& a, const Value& b) const {
    auto c = CompareValues(a, b);
    if (c) return *c < 0;
    return a.ToString() < b.ToString();
  }
};

// How many rows hold each value: a table's retraction takes one away, and a value at zero is gone.
class ValueCounts final : public Accumulator {
 public:
  // Nulls count as a value of their own unless `skip_nulls`.
  explicit ValueCounts(bool skip_nulls) : skip_nulls_(skip_nulls) {}
  void Add(const std::vector<Value>& a) override { if (!skip_nulls_ || !a[0].is_null()) ++seen_[a[0]]; }
  void Undo(const std::vector<Value>& a) override {
    auto it = seen_.find(a[0]);
    if (it != seen_.end() && --it->second == 0) seen_.erase(it);
  }
  Value Result() const override { return Value(static_cast<int64_t>(seen_.size())); }
  Value Save() const override {
    Array a;
    for (const auto& [v, n] : seen_) a.push_back(Value(Array{v, Value(n)}));
    return Value(std::move(a));
  }
  void Restore(const Value& v) override {
    seen_.clear();
    for (const auto& e : v.as_array()) seen_[e.as_array()[0]] = e.as_array()[1].as_int();
  }
  void Merge(const Accumulator& o) override {
    for (const auto& [v, n] : static_cast<const ValueCounts&>(o).seen_) seen_[v] += n;
  }
  const std::map<Value, int64_t, KeyLess>& seen() const { return seen_; }

 private:
  bool skip_nulls_;
  std::map<Value, int64_t, KeyLess> seen_;
};

// COUNT_DISTINCT: the number of distinct non-null values.
class CountDistinctAcc final : public Accumulator {
 public:
  void Add(const std::vector<Value>& a) override { counts_.Add(a); }
  void Undo(const std::vector<Value>& a) override { counts_.Undo(a); }
  Value Result() const override { return counts_.Result(); }
  Value Save() const override { return counts_.Save(); }
  void Restore(const Value& v) override { counts_.Restore(v); }
  void Merge(const Accumulator& o) override { counts_.Merge(static_cast<const CountDistinctAcc&>(o).counts_); }

 private:
  ValueCounts counts_{true};
};

// SUM_LIST: the sum of every non-null element of the arrays, as SUM of the elements would be.
class SumListAcc final : public Accumulator {
 public:
  explicit SumListAcc(SqlType element) : sum_(std::move(element)) {}
  void Add(const std::vector<Value>& a) override { ForEachElement(a[0], [&](const Value& v) { sum_.Add({v}); }); }
  void Undo(const std::vector<Value>& a) override { ForEachElement(a[0], [&](const Value& v) { sum_.Undo({v}); }); }
  Value Result() const override { return sum_.Result(); }
  Value Save() const override { return sum_.Save(); }
  void Restore(const Value& v) override { sum_.Restore(v); }
  void Merge(const Accumulator& o) override { sum_.Merge(static_cast<const SumListAcc&>(o).sum_); }

 private:
  template <class Fn>
  static void ForEachElement(const Value& list, Fn fn) {
    if (list.is_array())
      for (const Value& v : list.as_array()) fn(v);
  }
  SumAcc sum_;
};

// ATTR: the value every row of the group has, or NULL when they differ (a NULL counts as a value of its own).
// Counts per value, so that a table's retractions can make the group agree again.
class AttrAcc final : public Accumulator {
 public:
  void Add(const std::vector<Value>& a) override { counts_.Add(a); }
  void Undo(const std::vector<Value>& a) override { counts_.Undo(a); }
  Value Result() const override { return counts_.seen().size() == 1 ? counts_.seen().begin()->first : Value(); }
  Value Save() const override { return counts_.Save(); }
  void Restore(const Value& v) override { counts_.Restore(v); }
  void Merge(const Accumulator& o) override { counts_.Merge(static_cast<const AttrAcc&>(o).counts_); }

 private:
  ValueCounts counts_{false};
};

Result<BoundAggregate> Numeric(const std::vector<SqlType>& t, const char* name) {
  if (t.empty()) return ConfigError(std::string(name) + " expects one argument");
  if (!t[0].is_numeric() && t[0].id != TypeId::kUnknown)
    return ConfigError(std::string("Function '") + name + "' does not accept parameters (" + t[0].ToString() + ").");
  return BoundAggregate{};
}

}  // namespace

void RegisterBasicAggregates(AggregateFunctionRegistry& r) {
  r.Add({"COUNT", "COUNT(*) | COUNT(col) -> BIGINT", "Number of rows, or of non-null values of col",
         [](const std::vector<SqlType>& t, const std::vector<Value>&) -> Result<BoundAggregate> {
           bool star = t.empty();
           return BoundAggregate{SqlType::Of(TypeId::kBigInt), [star] { return std::make_unique<CountAcc>(star); }, true};
         }});
  r.Add({"SUM", "SUM(col) -> same numeric type", "Sum of the non-null values",
         [](const std::vector<SqlType>& t, const std::vector<Value>&) -> Result<BoundAggregate> {
           auto ok = Numeric(t, "SUM");
           if (!ok) return ok;
           SqlType rt = t[0].id == TypeId::kUnknown ? SqlType::Of(TypeId::kBigInt) : t[0];
           return BoundAggregate{rt, [rt] { return std::make_unique<SumAcc>(rt); }, true};
         }});
  r.Add({"SUM_LIST", "SUM_LIST(ARRAY<numeric>) -> element type", "Sum of the non-null elements of the arrays",
         [](const std::vector<SqlType>& t, const std::vector<Value>&) -> Result<BoundAggregate> {
           if (t.size() != 1 || t[0].id != TypeId::kArray || !t[0].element || !t[0].element->is_numeric())
             return ConfigError("Function 'SUM_LIST' does not accept parameters (" +
                                (t.empty() ? std::string() : t[0].ToString()) + ").");
           SqlType element = *t[0].element;
           return BoundAggregate{element, [element] { return std::make_unique<SumListAcc>(element); }, true};
         }});
  r.Add({"AVG", "AVG(col) -> DOUBLE", "Average of the non-null values",
         [](const std::vector<SqlType>& t, const std::vector<Value>&) -> Result<BoundAggregate> {
           auto ok = Numeric(t, "AVG");
           if (!ok) return ok;
           return BoundAggregate{SqlType::Of(TypeId::kDouble), [] { return std::make_unique<AvgAcc>(); }, true};
         }});
  for (bool max : {false, true}) {
    r.Add({max ? "MAX" : "MIN", max ? "MAX(col) -> type of col" : "MIN(col) -> type of col",
           max ? "Largest non-null value" : "Smallest non-null value",
           [max](const std::vector<SqlType>& t, const std::vector<Value>&) -> Result<BoundAggregate> {
             if (t.size() != 1) return ConfigError("expects one argument");
             TypeId id = t[0].id;
             if (id == TypeId::kArray || id == TypeId::kMap || id == TypeId::kStruct || id == TypeId::kBoolean)
               return ConfigError(std::string("Function '") + (max ? "MAX" : "MIN") + "' does not accept parameters (" + t[0].ToString() + ").");
             return BoundAggregate{t[0], [max] { return std::make_unique<MinMaxAcc>(max); }, false};
           }});
  }
  r.Add({"ATTR", "ATTR(col) -> type of col", "The value of col if every row of the group has the same, else NULL",
         [](const std::vector<SqlType>& t, const std::vector<Value>&) -> Result<BoundAggregate> {
           if (t.size() != 1) return ConfigError("expects one argument");
           return BoundAggregate{t[0], [] { return std::make_unique<AttrAcc>(); }, true};
         }});
  r.Add({"COUNT_DISTINCT", "COUNT_DISTINCT(col) -> BIGINT", "Number of distinct non-null values",
         [](const std::vector<SqlType>& t, const std::vector<Value>&) -> Result<BoundAggregate> {
           if (t.size() != 1) return ConfigError("expects one argument");
           return BoundAggregate{SqlType::Of(TypeId::kBigInt), [] { return std::make_unique<CountDistinctAcc>(); }, true};
         }});
}

}  // namespace pipeline::sql
