// Operator nodes: arithmetic (INT wraps to 32 bits, BIGINT to 64, DECIMAL rounds HALF_UP), comparisons,
// three-valued logic, LIKE, IN, BETWEEN, IS [NOT] NULL / DISTINCT FROM, string concatenation.
#include <cmath>

#include "core/decimal.h"
#include "sql/exec/expression.h"
#include "sql/exec/value_convert.h"

namespace pipeline::sql {

std::optional<int> CompareValues(const Value& a, const Value& b) {
  auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  if (a.is_number() && b.is_number()) {
    if (a.is_int() && b.is_int()) return sign(a.as_int(), b.as_int());
    if (a.is_double() || b.is_double()) return sign(a.ToDouble(), b.ToDouble());
    Decimal x = a.is_decimal() ? a.as_decimal() : DecimalFromInt(a.as_int());
    Decimal y = b.is_decimal() ? b.as_decimal() : DecimalFromInt(b.as_int());
    return CompareDecimal(x, y);
  }
  if (a.kind() != b.kind()) {
    // Date/time kinds against their epoch numbers (ROWTIME BIGINT vs TIMESTAMP).
    auto epoch = [](const Value& v, int64_t& out) {
      if (v.is_int()) { out = v.as_int(); return true; }
      if (v.kind() == Value::Kind::kTimestamp) { out = v.as_timestamp().millis; return true; }
      return false;
    };
    int64_t x, y;
    if (epoch(a, x) && epoch(b, y)) return sign(x, y);
    return std::nullopt;
  }
  switch (a.kind()) {
    case Value::Kind::kBool: return sign(a.as_bool(), b.as_bool());
    case Value::Kind::kString: return a.as_string().compare(b.as_string()) < 0 ? -1 : a.as_string() == b.as_string() ? 0 : 1;
    case Value::Kind::kBytes: return sign(a.as_bytes().data, b.as_bytes().data);
    case Value::Kind::kDate: return sign(a.as_date().days, b.as_date().days);
    case Value::Kind::kTime: return sign(a.as_time().millis, b.as_time().millis);
    case Value::Kind::kTimestamp: return sign(a.as_timestamp().millis, b.as_timestamp().millis);
    default: return a == b ? std::optional<int>(0) : std::nullopt;
  }
}

namespace {

Decimal AsDecimal(const Value& v) {
  if (v.is_decimal()) return v.as_decimal();
  if (v.is_int()) return DecimalFromInt(v.as_int());
  return DecimalFromDouble(v.ToDouble(), 16);
}

class Arithmetic final : public BoundExpr {
 public:
  Arithmetic(char op, BoundExprPtr l, BoundExprPtr r, SqlType t)
      : BoundExpr(std::move(t)), op_(op), l_(std::move(l)), r_(std::move(r)) {}

  Value Eval(const Row& row, EvalContext& ctx) const override {
    Value a = l_->Eval(row, ctx);
    if (a.is_null()) return Value();
    Value b = r_->Eval(row, ctx);
    if (b.is_null()) return Value();
    switch (type_.id) {
      case TypeId::kInt:
      case TypeId::kBigInt: {
        uint64_t x = static_cast<uint64_t>(a.as_int()), y = static_cast<uint64_t>(b.as_int());
        int64_t r;
        switch (op_) {
          case '+': r = static_cast<int64_t>(x + y); break;
          case '-': r = static_cast<int64_t>(x - y); break;
          case '*': r = static_cast<int64_t>(x * y); break;
          case '/':
          case '%': {
            int64_t xi = a.as_int(), yi = b.as_int();
            if (yi == 0) { ctx.Fail("/ by zero"); return Value(); }
            if (yi == -1) r = op_ == '/' ? static_cast<int64_t>(0 - x) : 0;
            else r = op_ == '/' ? xi / yi : xi % yi;
            break;
          }
          default: return Value();
        }
        return Value(type_.id == TypeId::kInt ? WrapInt32(r) : r);
      }
      case TypeId::kDouble: {
        double x = a.ToDouble(), y = b.ToDouble();
        switch (op_) {
          case '+': return Value(x + y);
          case '-': return Value(x - y);
          case '*': return Value(x * y);
          case '/': return Value(x / y);
          case '%': return Value(std::fmod(x, y));
        }
        return Value();
      }
      case TypeId::kDecimal: {
        Decimal x = AsDecimal(a), y = AsDecimal(b);
        Decimal r;
        switch (op_) {
          case '+':
          case '-': {
            int s = std::max(x.scale, y.scale);
            x = Rescale(x, s);
            y = Rescale(y, s);
            r.unscaled = op_ == '+' ? x.unscaled + y.unscaled : x.unscaled - y.unscaled;
            r.scale = s;
            break;
          }
          case '*':
            r.unscaled = x.unscaled * y.unscaled;
            r.scale = x.scale + y.scale;
            break;
          case '/': {
            if (y.unscaled == 0) { ctx.Fail("Division by zero"); return Value(); }
            // x / y at the result scale: x * 10^(s + ys - xs) / y, rounded HALF_UP.
            int shift = type_.scale + y.scale - x.scale;
            __int128 num = x.unscaled, den = y.unscaled;
            if (shift >= 0) num *= Pow10(shift);
            else den *= Pow10(-shift);
            __int128 q = num / den, rem = num % den;
            if (rem < 0) rem = -rem;
            __int128 aden = den < 0 ? -den : den;
            if (rem * 2 >= aden) q += ((num < 0) != (den < 0)) ? -1 : 1;
            r.unscaled = q;
            r.scale = type_.scale;
            break;
          }
          case '%': {
            if (y.unscaled == 0) { ctx.Fail("Division by zero"); return Value(); }
            int s = std::max(x.scale, y.scale);
            x = Rescale(x, s);
            y = Rescale(y, s);
            r.unscaled = x.unscaled % y.unscaled;
            r.scale = s;
            break;
          }
        }
        auto fit = FitDecimal(r, type_.precision, type_.scale);
        if (!fit) { ctx.Fail("Numeric field overflow"); return Value(); }
        return Value(*fit);
      }
      default: return Value();
    }
  }

 private:
  char op_;
  BoundExprPtr l_, r_;
};

class Negate final : public BoundExpr {
 public:
  explicit Negate(BoundExprPtr e) : BoundExpr(e->type()), e_(std::move(e)) {}
  Value Eval(const Row& row, EvalContext& ctx) const override {
    Value v = e_->Eval(row, ctx);
    if (v.is_int()) return Value(type_.id == TypeId::kInt ? WrapInt32(-v.as_int()) : static_cast<int64_t>(0 - static_cast<uint64_t>(v.as_int())));
    if (v.is_double()) return Value(-v.as_double());
    if (v.is_decimal()) { Decimal d = v.as_decimal(); d.unscaled = -d.unscaled; return Value(d); }
    return Value();
  }

 private:
  BoundExprPtr e_;
};

class Concat final : public BoundExpr {
 public:
  Concat(BoundExprPtr l, BoundExprPtr r) : BoundExpr(SqlType::Of(TypeId::kString)), l_(std::move(l)), r_(std::move(r)) {}
  Value Eval(const Row& row, EvalContext& ctx) const override {
    Value a = l_->Eval(row, ctx), b = r_->Eval(row, ctx);
    if (a.is_null() && b.is_null()) return Value();
    std::string s = a.is_null() ? std::string() : ValueToSqlString(a, l_->type());
    if (!b.is_null()) s += ValueToSqlString(b, r_->type());
    return Value(std::move(s));
  }

 private:
  BoundExprPtr l_, r_;
};

enum class CmpOp { kEq, kNe, kLt, kLe, kGt, kGe };

class Comparison final : public BoundExpr {
 public:
  Comparison(CmpOp op, BoundExprPtr l, BoundExprPtr r)
      : BoundExpr(SqlType::Of(TypeId::kBoolean)), op_(op), l_(std::move(l)), r_(std::move(r)) {}
  Value Eval(const Row& row, EvalContext& ctx) const override {
    // A NULL operand makes the comparison false, not NULL, as in ksqlDB's generated code.
    Value a = l_->Eval(row, ctx);
    if (a.is_null()) return Value(false);
    Value b = r_->Eval(row, ctx);
    if (b.is_null()) return Value(false);
    auto c = CompareValues(a, b);
    if (!c) return op_ == CmpOp::kNe ? Value(true) : op_ == CmpOp::kEq ? Value(false) : Value();
    switch (op_) {
      case CmpOp::kEq: return Value(*c == 0);
      case CmpOp::kNe: return Value(*c != 0);
      case CmpOp::kLt: return Value(*c < 0);
      case CmpOp::kLe: return Value(*c <= 0);
      case CmpOp::kGt: return Value(*c > 0);
      case CmpOp::kGe: return Value(*c >= 0);
    }
    return Value();
  }

 private:
  CmpOp op_;
  BoundExprPtr l_, r_;
};

class IsDistinct final : public BoundExpr {
 public:
  IsDistinct(BoundExprPtr l, BoundExprPtr r, bool negated)
      : BoundExpr(SqlType::Of(TypeId::kBoolean)), l_(std::move(l)), r_(std::move(r)), negated_(negated) {}
  Value Eval(const Row& row, EvalContext& ctx) const override {
    Value a = l_->Eval(row, ctx), b = r_->Eval(row, ctx);
    bool distinct;
    if (a.is_null() || b.is_null()) distinct = a.is_null() != b.is_null();
    else { auto c = CompareValues(a, b); distinct = !c || *c != 0; }
    return Value(negated_ ? !distinct : distinct);
  }

 private:
  BoundExprPtr l_, r_;
  bool negated_;
};

class Logic final : public BoundExpr {
 public:
  Logic(bool is_and, BoundExprPtr l, BoundExprPtr r)
      : BoundExpr(SqlType::Of(TypeId::kBoolean)), and_(is_and), l_(std::move(l)), r_(std::move(r)) {}
  Value Eval(const Row& row, EvalContext& ctx) const override {
    Value a = l_->Eval(row, ctx);
    if (a.is_bool() && a.as_bool() != and_) return a;  // short-circuit: false AND .., true OR ..
    Value b = r_->Eval(row, ctx);
    if (b.is_bool() && b.as_bool() != and_) return b;
    if (a.is_null() || b.is_null()) return Value();
    return Value(and_);
  }

 private:
  bool and_;
  BoundExprPtr l_, r_;
};

class Not final : public BoundExpr {
 public:
  explicit Not(BoundExprPtr e) : BoundExpr(SqlType::Of(TypeId::kBoolean)), e_(std::move(e)) {}
  Value Eval(const Row& row, EvalContext& ctx) const override {
    Value v = e_->Eval(row, ctx);
    return v.is_bool() ? Value(!v.as_bool()) : Value();
  }

 private:
  BoundExprPtr e_;
};

class IsNull final : public BoundExpr {
 public:
  IsNull(BoundExprPtr e, bool negated) : BoundExpr(SqlType::Of(TypeId::kBoolean)), e_(std::move(e)), negated_(negated) {}
  Value Eval(const Row& row, EvalContext& ctx) const override { return Value(e_->Eval(row, ctx).is_null() != negated_); }

 private:
  BoundExprPtr e_;
  bool negated_;
};

bool LikeMatch(const char* s, const char* se, const char* p, const char* pe, char esc) {
  while (p < pe) {
    char c = *p;
    if (esc && c == esc && p + 1 < pe) {
      if (s == se || *s != p[1]) return false;
      ++s;
      p += 2;
      continue;
    }
    if (c == '%') {
      while (p < pe && *p == '%') ++p;
      if (p == pe) return true;
      for (const char* k = s; k <= se; ++k)
        if (LikeMatch(k, se, p, pe, esc)) return true;
      return false;
    }
    if (s == se) return false;
    if (c != '_' && c != *s) return false;
    ++s;
    ++p;
  }
  return s == se;
}

class Like final : public BoundExpr {
 public:
  Like(BoundExprPtr v, BoundExprPtr p, char esc, bool negated)
      : BoundExpr(SqlType::Of(TypeId::kBoolean)), v_(std::move(v)), p_(std::move(p)), esc_(esc), negated_(negated) {}
  Value Eval(const Row& row, EvalContext& ctx) const override {
    Value v = v_->Eval(row, ctx), p = p_->Eval(row, ctx);
    if (!v.is_string() || !p.is_string()) return Value();
    const std::string& s = v.as_string();
    const std::string& pat = p.as_string();
    bool m = LikeMatch(s.data(), s.data() + s.size(), pat.data(), pat.data() + pat.size(), esc_);
    return Value(m != negated_);
  }

 private:
  BoundExprPtr v_, p_;
  char esc_;
  bool negated_;
};

class In final : public BoundExpr {
 public:
  In(BoundExprPtr v, std::vector<BoundExprPtr> items, bool negated)
      : BoundExpr(SqlType::Of(TypeId::kBoolean)), v_(std::move(v)), items_(std::move(items)), negated_(negated) {}
  Value Eval(const Row& row, EvalContext& ctx) const override {
    Value v = v_->Eval(row, ctx);
    if (v.is_null()) return Value();
    for (const auto& item : items_) {
      Value x = item->Eval(row, ctx);
      if (x.is_null()) continue;
      auto c = CompareValues(v, x);
      if (c && *c == 0) return Value(!negated_);
    }
    return Value(negated_);
  }

 private:
  BoundExprPtr v_;
  std::vector<BoundExprPtr> items_;
  bool negated_;
};

class Between final : public BoundExpr {
 public:
  Between(BoundExprPtr v, BoundExprPtr lo, BoundExprPtr hi, bool negated)
      : BoundExpr(SqlType::Of(TypeId::kBoolean)), v_(std::move(v)), lo_(std::move(lo)), hi_(std::move(hi)), negated_(negated) {}
  Value Eval(const Row& row, EvalContext& ctx) const override {
    Value v = v_->Eval(row, ctx), lo = lo_->Eval(row, ctx), hi = hi_->Eval(row, ctx);
    if (v.is_null() || lo.is_null() || hi.is_null()) return Value();
    auto a = CompareValues(v, lo), b = CompareValues(v, hi);
    if (!a || !b) return Value();
    return Value((*a >= 0 && *b <= 0) != negated_);
  }

 private:
  BoundExprPtr v_, lo_, hi_;
  bool negated_;
};

}  // namespace

BoundExprPtr MakeArithmetic(std::string op, BoundExprPtr l, BoundExprPtr r, SqlType type) {
  return std::make_shared<Arithmetic>(op[0], std::move(l), std::move(r), std::move(type));
}
BoundExprPtr MakeNegate(BoundExprPtr e) { return std::make_shared<Negate>(std::move(e)); }
BoundExprPtr MakeConcat(BoundExprPtr l, BoundExprPtr r) { return std::make_shared<Concat>(std::move(l), std::move(r)); }
BoundExprPtr MakeComparison(std::string op, BoundExprPtr l, BoundExprPtr r) {
  CmpOp c = op == "=" ? CmpOp::kEq : op == "<>" ? CmpOp::kNe : op == "<" ? CmpOp::kLt : op == "<=" ? CmpOp::kLe
          : op == ">" ? CmpOp::kGt : CmpOp::kGe;
  return std::make_shared<Comparison>(c, std::move(l), std::move(r));
}
BoundExprPtr MakeIsDistinct(BoundExprPtr l, BoundExprPtr r, bool negated) {
  return std::make_shared<IsDistinct>(std::move(l), std::move(r), negated);
}
BoundExprPtr MakeAnd(BoundExprPtr l, BoundExprPtr r) { return std::make_shared<Logic>(true, std::move(l), std::move(r)); }
BoundExprPtr MakeOr(BoundExprPtr l, BoundExprPtr r) { return std::make_shared<Logic>(false, std::move(l), std::move(r)); }
BoundExprPtr MakeNot(BoundExprPtr e) { return std::make_shared<Not>(std::move(e)); }
BoundExprPtr MakeIsNull(BoundExprPtr e, bool negated) { return std::make_shared<IsNull>(std::move(e), negated); }
BoundExprPtr MakeLike(BoundExprPtr value, BoundExprPtr pattern, char escape, bool negated) {
  return std::make_shared<Like>(std::move(value), std::move(pattern), escape, negated);
}
BoundExprPtr MakeIn(BoundExprPtr value, std::vector<BoundExprPtr> items, bool negated) {
  return std::make_shared<In>(std::move(value), std::move(items), negated);
}
BoundExprPtr MakeBetween(BoundExprPtr value, BoundExprPtr lo, BoundExprPtr hi, bool negated) {
  return std::make_shared<Between>(std::move(value), std::move(lo), std::move(hi), negated);
}

}  // namespace pipeline::sql
