// EARLIEST_BY_OFFSET / LATEST_BY_OFFSET (optionally the first/last n, nulls ignored by default) and the
// statistics aggregates STDDEV_SAMP, STDDEV_POP, VARIANCE-like helpers and CORRELATION.
#include <cmath>

#include "sql/functions/aggregate/aggregate_families.h"

namespace pipeline::sql {

namespace {

class ByOffsetAcc final : public Accumulator {
 public:
  ByOffsetAcc(bool latest, int64_t n, bool as_array, bool ignore_nulls)
      : latest_(latest), n_(n), as_array_(as_array), ignore_nulls_(ignore_nulls) {}
  void Add(const std::vector<Value>& a) override {
    if (ignore_nulls_ && a[0].is_null()) return;
    if (latest_) {
      items_.push_back(a[0]);
      if (static_cast<int64_t>(items_.size()) > n_) items_.erase(items_.begin());
    } else if (static_cast<int64_t>(items_.size()) < n_) {
      items_.push_back(a[0]);
    }
  }
  Value Result() const override {
    if (as_array_) return Value(items_);
    return items_.empty() ? Value() : items_.back();
  }
  Value Save() const override { return Value(items_); }
  void Restore(const Value& v) override { items_ = v.as_array(); }
  void Merge(const Accumulator& o) override {
    for (const auto& v : static_cast<const ByOffsetAcc&>(o).items_) Add({v});
  }

 private:
  bool latest_;
  int64_t n_;
  bool as_array_;
  bool ignore_nulls_;
  Array items_;
};

class StddevAcc final : public Accumulator {
 public:
  explicit StddevAcc(bool sample) : sample_(sample) {}
  void Add(const std::vector<Value>& a) override { if (!a[0].is_null()) Apply(a[0].ToDouble(), 1); }
  void Undo(const std::vector<Value>& a) override { if (!a[0].is_null()) Apply(a[0].ToDouble(), -1); }
  Value Result() const override {
    int64_t d = sample_ ? n_ - 1 : n_;
    if (d <= 0) return Value(0.0);
    double var = (sum_sq_ - sum_ * sum_ / static_cast<double>(n_)) / static_cast<double>(d);
    return Value(std::sqrt(std::max(0.0, var)));
  }
  Value Save() const override { return Value(Array{Value(n_), Value(sum_), Value(sum_sq_)}); }
  void Restore(const Value& v) override {
    n_ = v.as_array()[0].as_int();
    sum_ = v.as_array()[1].as_double();
    sum_sq_ = v.as_array()[2].as_double();
  }

 private:
  void Apply(double x, int sign) {
    n_ += sign;
    sum_ += sign * x;
    sum_sq_ += sign * x * x;
  }
  bool sample_;
  int64_t n_ = 0;
  double sum_ = 0, sum_sq_ = 0;
};

class CorrelationAcc final : public Accumulator {
 public:
  void Add(const std::vector<Value>& a) override { Apply(a, 1); }
  void Undo(const std::vector<Value>& a) override { Apply(a, -1); }
  Value Result() const override {
    if (n_ < 2) return Value(std::nan(""));
    double n = static_cast<double>(n_);
    double cov = sxy_ - sx_ * sy_ / n;
    double vx = sxx_ - sx_ * sx_ / n, vy = syy_ - sy_ * sy_ / n;
    return Value(cov / std::sqrt(vx * vy));
  }
  Value Save() const override { return Value(Array{Value(n_), Value(sx_), Value(sy_), Value(sxx_), Value(syy_), Value(sxy_)}); }
  void Restore(const Value& v) override {
    const Array& a = v.as_array();
    n_ = a[0].as_int();
    sx_ = a[1].as_double(); sy_ = a[2].as_double(); sxx_ = a[3].as_double(); syy_ = a[4].as_double(); sxy_ = a[5].as_double();
  }

 private:
  void Apply(const std::vector<Value>& a, int sign) {
    if (a.size() < 2 || a[0].is_null() || a[1].is_null()) return;
    double x = a[0].ToDouble(), y = a[1].ToDouble();
    n_ += sign;
    sx_ += sign * x; sy_ += sign * y; sxx_ += sign * x * x; syy_ += sign * y * y; sxy_ += sign * x * y;
  }
  int64_t n_ = 0;
  double sx_ = 0, sy_ = 0, sxx_ = 0, syy_ = 0, sxy_ = 0;
};

}  // namespace

void RegisterOffsetAggregates(AggregateFunctionRegistry& r) {
  for (bool latest : {false, true}) {
    r.Add({latest ? "LATEST_BY_OFFSET" : "EARLIEST_BY_OFFSET",
           std::string(latest ? "LATEST" : "EARLIEST") + "_BY_OFFSET(col [, n] [, ignore_nulls]) -> type of col or ARRAY",
           latest ? "The value of the most recent row (or last n)" : "The value of the first row (or first n)",
           [latest](const std::vector<SqlType>& t, const std::vector<Value>& lit) -> Result<BoundAggregate> {
             if (t.empty() || t.size() > 3) return ConfigError("expects (col [, n] [, ignore_nulls])");
             int64_t n = 1;
             bool as_array = false, ignore_nulls = true;
             for (size_t i = 1; i < lit.size(); ++i) {
               if (lit[i].is_int()) { n = lit[i].as_int(); as_array = true; }
               else if (lit[i].is_bool()) ignore_nulls = lit[i].as_bool();
               else return ConfigError("expects literal arguments after the column");
             }
             if (as_array && n <= 0) return ConfigError("earliestN/latestN requires n > 0");
             SqlType rt = as_array ? SqlType::Array(t[0]) : t[0];
             return BoundAggregate{rt, [=] { return std::make_unique<ByOffsetAcc>(latest, n, as_array, ignore_nulls); }, false};
           }});
  }
}

void RegisterStatsAggregates(AggregateFunctionRegistry& r) {
  for (const char* name : {"STDDEV_SAMP", "STDDEV_SAMPLE", "STDDEV_POP"}) {
    bool sample = std::string(name) != "STDDEV_POP";
    r.Add({name, std::string(name) + "(col) -> DOUBLE", sample ? "Sample standard deviation" : "Population standard deviation",
           [sample](const std::vector<SqlType>& t, const std::vector<Value>&) -> Result<BoundAggregate> {
             if (t.size() != 1 || (!t[0].is_numeric() && t[0].id != TypeId::kUnknown)) return ConfigError("expects one numeric argument");
             return BoundAggregate{SqlType::Of(TypeId::kDouble), [sample] { return std::make_unique<StddevAcc>(sample); }, true};
           }});
  }
  r.Add({"CORRELATION", "CORRELATION(x, y) -> DOUBLE", "Pearson correlation of x and y",
         [](const std::vector<SqlType>& t, const std::vector<Value>&) -> Result<BoundAggregate> {
           if (t.size() != 2) return ConfigError("expects two arguments");
           return BoundAggregate{SqlType::Of(TypeId::kDouble), [] { return std::make_unique<CorrelationAcc>(); }, true};
         }});
}

}  // namespace pipeline::sql
