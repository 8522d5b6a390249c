// Leaf and structural expression nodes: columns, pseudo-columns, literals, CASE, constructors, accessors,
// function calls.
#include "sql/exec/expression.h"

#include "sql/exec/value_convert.h"

namespace pipeline::sql {

namespace {

class ColumnRef final : public BoundExpr {
 public:
  ColumnRef(int slot, SqlType t) : BoundExpr(std::move(t)), slot_(slot) {}
  Value Eval(const Row& row, EvalContext&) const override { return row.values[slot_]; }
  int slot() const override { return slot_; }
  Part part() const override { return {slot_, ""}; }
  Value Take(Row& row, EvalContext&) const override { return MoveOut(row.values[static_cast<size_t>(slot_)]); }

 private:
  int slot_;
};

class PseudoRef final : public BoundExpr {
 public:
  PseudoRef(PseudoColumn which, SqlType t) : BoundExpr(std::move(t)), which_(which) {}
  Value Eval(const Row& row, EvalContext&) const override {
    switch (which_) {
      case PseudoColumn::kRowTime: return type_.id == TypeId::kTimestamp ? Value(Timestamp{row.rowtime}) : Value(row.rowtime);
      case PseudoColumn::kRowPartition: return row.partition < 0 ? Value() : Value(int64_t{row.partition});
      case PseudoColumn::kRowOffset: return row.offset < 0 ? Value() : Value(row.offset);
      case PseudoColumn::kWindowStart: return row.window ? Value(row.window->start) : Value();
      case PseudoColumn::kWindowEnd: return row.window ? Value(row.window->end) : Value();
    }
    return Value();
  }

 private:
  PseudoColumn which_;
};

class Literal final : public BoundExpr {
 public:
  Literal(Value v, SqlType t) : BoundExpr(std::move(t)), v_(std::move(v)) {}
  Value Eval(const Row&, EvalContext&) const override { return v_; }
  const Value* constant() const override { return &v_; }

 private:
  Value v_;
};

class CastExpr final : public BoundExpr {
 public:
  CastExpr(BoundExprPtr in, SqlType to) : BoundExpr(to), in_(std::move(in)), conv_(std::move(to)) {}
  Value Eval(const Row& row, EvalContext& ctx) const override { return conv_.Cast(in_->Eval(row, ctx), in_->type(), ctx); }

 private:
  BoundExprPtr in_;
  TypeConverter conv_;
};

class CaseExpr final : public BoundExpr {
 public:
  CaseExpr(std::vector<BoundExprPtr> w, std::vector<BoundExprPtr> t, BoundExprPtr e, SqlType type)
      : BoundExpr(std::move(type)), whens_(std::move(w)), thens_(std::move(t)), else_(std::move(e)) {}
  Value Eval(const Row& row, EvalContext& ctx) const override {
    for (size_t i = 0; i < whens_.size(); ++i) {
      Value c = whens_[i]->Eval(row, ctx);
      if (c.is_bool() && c.as_bool()) return thens_[i]->Eval(row, ctx);
    }
    return else_ ? else_->Eval(row, ctx) : Value();
  }

 private:
  std::vector<BoundExprPtr> whens_, thens_;
  BoundExprPtr else_;
};

class FieldAccess final : public BoundExpr {
 public:
  FieldAccess(BoundExprPtr base, int index, std::string name, SqlType t)
      : BoundExpr(std::move(t)), base_(std::move(base)), index_(index), name_(std::move(name)) {}
  Value Eval(const Row& row, EvalContext& ctx) const override {
    // A column's struct is read in place: copying it would only count a reference up and down.
    if (int slot = base_->slot(); slot >= 0) return Field(row.values[static_cast<size_t>(slot)]);
    return Field(base_->Eval(row, ctx));
  }
  Part part() const override {
    int slot = base_->slot();
    return slot >= 0 ? Part{slot, name_} : Part{};
  }
  // The field is moved out of a struct only the row holds (as a struct the source just converted is).
  Value Take(Row& row, EvalContext& ctx) const override {
    int slot = base_->slot();
    Struct* sole = slot >= 0 ? row.values[static_cast<size_t>(slot)].SoleStruct() : nullptr;
    if (!sole) return Eval(row, ctx);
    int i = IndexIn(*sole);
    return i < 0 ? Value() : MoveOut(sole->values[static_cast<size_t>(i)]);
  }

 private:
  Value Field(const Value& b) const {
    if (!b.is_struct()) return Value();
    const Struct& s = b.as_struct();
    int i = IndexIn(s);
    return i < 0 ? Value() : s.values[static_cast<size_t>(i)];
  }
  // Structs of one column share their FieldNames: the field's position is looked up once per shape.
  int IndexIn(const Struct& s) const {
    if (s.names != last_shape_) {
      last_shape_ = s.names;
      last_index_ = Lookup(s);
    }
    return last_index_;
  }
  int Lookup(const Struct& s) const {
    if (index_ >= 0 && static_cast<size_t>(index_) < s.size() && s.name(index_) == name_) return index_;
    int i = s.names->IndexOf(name_);
    return i >= 0 ? i : s.names->IndexOfIgnoreCase(name_);
  }

  BoundExprPtr base_;
  int index_;
  std::string name_;
  mutable FieldNamesPtr last_shape_;  // held, so that its address cannot be reused by another shape
  mutable int last_index_ = -1;
};

class Subscript final : public BoundExpr {
 public:
  Subscript(BoundExprPtr base, BoundExprPtr index, SqlType t)
      : BoundExpr(std::move(t)), base_(std::move(base)), index_(std::move(index)) {}
  Value Eval(const Row& row, EvalContext& ctx) const override {
    Value b = base_->Eval(row, ctx);
    Value i = index_->Eval(row, ctx);
    if (b.is_null() || i.is_null()) return Value();
    if (b.is_array()) {
      if (!i.is_int()) return Value();
      const Array& a = b.as_array();
      int64_t n = static_cast<int64_t>(a.size());
      int64_t k = i.as_int();
      // 1-based; negative counts from the end; out of range is NULL.
      if (k > 0 && k <= n) return a[k - 1];
      if (k < 0 && -k <= n) return a[n + k];
      return Value();
    }
    if (b.is_map()) {
      for (const auto& [k, v] : b.as_map())
        if (k == i) return v;
      return Value();
    }
    return Value();
  }

 private:
  BoundExprPtr base_, index_;
};

class ArrayCtor final : public BoundExpr {
 public:
  ArrayCtor(std::vector<BoundExprPtr> items, SqlType t) : BoundExpr(std::move(t)), items_(std::move(items)) {}
  Value Eval(const Row& row, EvalContext& ctx) const override {
    Array a;
    a.reserve(items_.size());
    for (const auto& e : items_) a.push_back(e->Eval(row, ctx));
    return Value(std::move(a));
  }

 private:
  std::vector<BoundExprPtr> items_;
};

class MapCtor final : public BoundExpr {
 public:
  MapCtor(std::vector<BoundExprPtr> k, std::vector<BoundExprPtr> v, SqlType t)
      : BoundExpr(std::move(t)), keys_(std::move(k)), values_(std::move(v)) {}
  Value Eval(const Row& row, EvalContext& ctx) const override {
    Map m;
    for (size_t i = 0; i < keys_.size(); ++i) {
      Value k = keys_[i]->Eval(row, ctx);
      Value v = values_[i]->Eval(row, ctx);
      bool replaced = false;
      for (auto& entry : m)
        if (entry.first == k) { entry.second = v; replaced = true; }
      if (!replaced) m.emplace_back(std::move(k), std::move(v));
    }
    return Value(std::move(m));
  }

 private:
  std::vector<BoundExprPtr> keys_, values_;
};

class StructCtor final : public BoundExpr {
 public:
  StructCtor(std::vector<BoundExprPtr> v, SqlType t) : BoundExpr(t), values_(std::move(v)), conv_(std::move(t)) {}
  Value Eval(const Row& row, EvalContext& ctx) const override {
    Struct s;
    s.names = conv_.names();
    s.values.reserve(values_.size());
    for (const auto& e : values_) s.values.push_back(e->Eval(row, ctx));
    return Value(std::move(s));
  }

 private:
  std::vector<BoundExprPtr> values_;
  TypeConverter conv_;
};

class FunctionCall final : public BoundExpr {
 public:
  FunctionCall(std::string name, BoundScalar fn, std::vector<BoundExprPtr> args)
      : BoundExpr(fn.return_type), name_(std::move(name)), fn_(std::move(fn)), args_(std::move(args)) {}
  Value Eval(const Row& row, EvalContext& ctx) const override {
    // thread_local scratch avoids an allocation per call on the hot path.
    std::vector<Value> args;
    args.reserve(args_.size());
    for (const auto& a : args_) {
      args.push_back(a->Eval(row, ctx));
      if (fn_.null_if_any_null && args.back().is_null()) return Value();
    }
    int64_t before = ctx.errors;
    Value v = fn_.impl(args, ctx);
    if (ctx.errors != before && ctx.last_error.find(name_) == std::string::npos)
      ctx.last_error = name_ + ": " + ctx.last_error;
    return v;
  }

 private:
  std::string name_;
  BoundScalar fn_;
  std::vector<BoundExprPtr> args_;
};

}  // namespace

BoundExprPtr MakeColumnRef(int slot, SqlType type) { return std::make_shared<ColumnRef>(slot, std::move(type)); }
BoundExprPtr MakePseudoRef(PseudoColumn which, SqlType type) { return std::make_shared<PseudoRef>(which, std::move(type)); }
BoundExprPtr MakeLiteral(Value v, SqlType type) { return std::make_shared<Literal>(std::move(v), std::move(type)); }
BoundExprPtr MakeCast(BoundExprPtr input, SqlType to) { return std::make_shared<CastExpr>(std::move(input), std::move(to)); }
BoundExprPtr MakeCase(std::vector<BoundExprPtr> whens, std::vector<BoundExprPtr> thens, BoundExprPtr else_expr, SqlType type) {
  return std::make_shared<CaseExpr>(std::move(whens), std::move(thens), std::move(else_expr), std::move(type));
}
BoundExprPtr MakeFieldAccess(BoundExprPtr base, int field_index, std::string field_name, SqlType type) {
  return std::make_shared<FieldAccess>(std::move(base), field_index, std::move(field_name), std::move(type));
}
BoundExprPtr MakeSubscript(BoundExprPtr base, BoundExprPtr index, SqlType type) {
  return std::make_shared<Subscript>(std::move(base), std::move(index), std::move(type));
}
BoundExprPtr MakeArrayCtor(std::vector<BoundExprPtr> items, SqlType type) { return std::make_shared<ArrayCtor>(std::move(items), std::move(type)); }
BoundExprPtr MakeMapCtor(std::vector<BoundExprPtr> keys, std::vector<BoundExprPtr> values, SqlType type) {
  return std::make_shared<MapCtor>(std::move(keys), std::move(values), std::move(type));
}
BoundExprPtr MakeStructCtor(std::vector<BoundExprPtr> values, SqlType type) {
  return std::make_shared<StructCtor>(std::move(values), std::move(type));
}
BoundExprPtr MakeFunctionCall(std::string name, BoundScalar fn, std::vector<BoundExprPtr> args) {
  return std::make_shared<FunctionCall>(std::move(name), std::move(fn), std::move(args));
}

}  // namespace pipeline::sql
