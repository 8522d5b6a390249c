#include "sql/exec/lambda.h"

#include <array>
#include <cassert>
#include <optional>

namespace pipeline::sql {

namespace {

class LambdaParamRef final : public BoundExpr {
 public:
  LambdaParamRef(int slot, SqlType t) : BoundExpr(std::move(t)), slot_(slot) {}
  Value Eval(const Row&, EvalContext& ctx) const override {
    return static_cast<size_t>(slot_) < ctx.lambda_args.size() ? ctx.lambda_args[slot_] : Value();
  }

 private:
  int slot_;
};

class NullIntolerant final : public BoundExpr {
 public:
  explicit NullIntolerant(BoundExprPtr operand) : BoundExpr(operand->type()), operand_(std::move(operand)) {}
  Value Eval(const Row& row, EvalContext& ctx) const override {
    Value v = operand_->Eval(row, ctx);
    if (v.is_null()) ctx.Fail("NULL operand of an arithmetic operation in a lambda");
    return v;
  }

 private:
  BoundExprPtr operand_;
};

// A lambda bound to the row being evaluated: what a higher-order function's implementation calls.
class RowLambda final : public LambdaArg {
 public:
  RowLambda(const BoundLambda& lambda, const Row& row, EvalContext& ctx) : lambda_(lambda), row_(row), ctx_(ctx) {}
  Value Call(std::initializer_list<Value> params) const override {
    assert(params.size() == static_cast<size_t>(lambda_.arity) && "the function's lambda_params fixed the arity");
    size_t end = static_cast<size_t>(lambda_.first_slot) + params.size();
    if (ctx_.lambda_args.size() < end) ctx_.lambda_args.resize(end);
    size_t slot = static_cast<size_t>(lambda_.first_slot);
    for (const Value& p : params) ctx_.lambda_args[slot++] = p;
    return lambda_.body->Eval(row_, ctx_);
  }

 private:
  const BoundLambda& lambda_;
  const Row& row_;
  EvalContext& ctx_;
};

// TRANSFORM over a map takes two lambdas; no function takes more.
constexpr size_t kMaxLambdas = 2;

class HigherOrderCall final : public BoundExpr {
 public:
  HigherOrderCall(std::string name, BoundHigherOrder fn, std::vector<BoundExprPtr> args, std::vector<BoundLambda> lambdas)
      : BoundExpr(fn.return_type), name_(std::move(name)), fn_(std::move(fn)), args_(std::move(args)),
        lambdas_(std::move(lambdas)) {}

  Value Eval(const Row& row, EvalContext& ctx) const override {
    std::vector<Value> args(args_.size());
    for (size_t i = 0; i < args_.size(); ++i)
      if (args_[i]) args[i] = args_[i]->Eval(row, ctx);
    std::array<std::optional<RowLambda>, kMaxLambdas> bound;
    std::array<const LambdaArg*, kMaxLambdas> lambdas{};
    for (size_t i = 0; i < lambdas_.size(); ++i) lambdas[i] = &bound[i].emplace(lambdas_[i], row, ctx);
    int64_t before = ctx.errors;
    Value v = fn_.impl(args, std::span<const LambdaArg* const>(lambdas.data(), lambdas_.size()), ctx);
    if (ctx.errors == before) return v;
    if (ctx.last_error.find(name_) == std::string::npos) ctx.last_error = name_ + ": " + ctx.last_error;
    return Value();
  }

 private:
  std::string name_;
  BoundHigherOrder fn_;
  std::vector<BoundExprPtr> args_;
  std::vector<BoundLambda> lambdas_;
};

}  // namespace

BoundExprPtr MakeLambdaParamRef(int slot, SqlType type) { return std::make_shared<LambdaParamRef>(slot, std::move(type)); }

BoundExprPtr MakeNullIntolerant(BoundExprPtr operand) { return std::make_shared<NullIntolerant>(std::move(operand)); }

BoundExprPtr MakeHigherOrderCall(std::string name, BoundHigherOrder fn, std::vector<BoundExprPtr> args,
                                 std::vector<BoundLambda> lambdas) {
  assert(lambdas.size() <= kMaxLambdas && "the per-call arrays hold kMaxLambdas; no registered function takes more");
  return std::make_shared<HigherOrderCall>(std::move(name), std::move(fn), std::move(args), std::move(lambdas));
}

}  // namespace pipeline::sql
