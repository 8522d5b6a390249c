// Binding calls of higher-order functions (TRANSFORM, FILTER, REDUCE): the other arguments first, since they give
// the lambdas' parameter types; then each lambda body with its parameters as variables at fresh slots; then the
// function itself, which sees what each body returns.
#include "sql/binder/expression_binder.h"

#include "sql/functions/function_docs.h"
#include "sql/parser/expr_format.h"

namespace pipeline::sql {

namespace {

Error At(Position pos, const std::string& msg) { return ConfigError(pos.ToString() + ": " + msg); }

}  // namespace

const ExpressionBinder::LambdaVariable* ExpressionBinder::FindLambdaVariable(const Expr& e) const {
  if (e.kind != ExprKind::kColumn || !e.qualifier.empty()) return nullptr;
  for (auto it = lambda_vars_.rbegin(); it != lambda_vars_.rend(); ++it)
    if (it->name == e.name) return &*it;
  return nullptr;
}

Result<BoundLambda> ExpressionBinder::BindLambda(const Expr& lambda, const std::vector<SqlType>& param_types,
                                                 const Expr& call) {
  const std::vector<std::string>& names = lambda.field_names;
  if (names.size() != param_types.size())
    return At(lambda.pos, "Function '" + call.op + "' expects a lambda with " + std::to_string(param_types.size()) +
                              " argument" + (param_types.size() == 1 ? "" : "s") + " here, got " +
                              std::to_string(names.size()) + ": " + FormatExpr(lambda));
  for (size_t i = 0; i < names.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (names[i] == names[j]) return At(lambda.pos, "Duplicate lambda argument name: " + names[i]);
  BoundLambda out;
  out.first_slot = static_cast<int>(lambda_vars_.size());
  out.arity = static_cast<int>(names.size());
  for (size_t i = 0; i < names.size(); ++i)
    lambda_vars_.push_back({names[i], param_types[i], out.first_slot + static_cast<int>(i)});
  auto body = Bind(*lambda.children[0]);
  lambda_vars_.resize(static_cast<size_t>(out.first_slot));
  if (!body) return body.error();
  out.body = *body;
  return out;
}

Result<BoundExprPtr> ExpressionBinder::BindHigherOrder(const Expr& e, const HigherOrderBinder& binder) {
  const size_t n = e.children.size();
  HigherOrderArgs args;
  args.types.assign(n, SqlType::Of(TypeId::kUnknown));
  args.is_lambda.assign(n, false);
  std::vector<BoundExprPtr> values(n);
  for (size_t i = 0; i < n; ++i) {
    if (e.children[i]->kind == ExprKind::kLambda) {
      args.is_lambda[i] = true;
      continue;
    }
    auto v = Bind(*e.children[i]);
    if (!v) return v.error();
    values[i] = *v;
    args.types[i] = (*v)->type();
  }
  std::vector<BoundLambda> lambdas;
  for (size_t i = 0; i < n; ++i) {
    if (!args.is_lambda[i]) continue;
    auto params = binder.lambda_params(args, i);
    if (!params) return At(e.pos, NamingFunction(e.op, params.error().message()));
    auto lambda = BindLambda(*e.children[i], *params, e);
    if (!lambda) return lambda.error();
    args.types[i] = lambda->body->type();
    lambdas.push_back(std::move(*lambda));
  }
  auto bound = binder.bind(args);
  if (!bound) return At(e.pos, NamingFunction(e.op, bound.error().message()));
  return MakeHigherOrderCall(e.op, std::move(*bound), std::move(values), std::move(lambdas));
}

}  // namespace pipeline::sql
