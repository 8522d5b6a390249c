// The evaluator tree of a Condition: boolean connectives over comparisons of operands.
#pragma once

#include <re2/re2.h>

#include <memory>

#include "transforms/predicates/condition.h"
#include "transforms/predicates/condition_operand.h"

namespace pipeline {

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe, kContains, kMatches };

class AndNode final : public ConditionNode {
 public:
  AndNode(std::unique_ptr<ConditionNode> l, std::unique_ptr<ConditionNode> r) : l_(std::move(l)), r_(std::move(r)) {}
  bool Eval(const Record& record) override { return l_->Eval(record) && r_->Eval(record); }

 private:
  std::unique_ptr<ConditionNode> l_, r_;
};

class OrNode final : public ConditionNode {
 public:
  OrNode(std::unique_ptr<ConditionNode> l, std::unique_ptr<ConditionNode> r) : l_(std::move(l)), r_(std::move(r)) {}
  bool Eval(const Record& record) override { return l_->Eval(record) || r_->Eval(record); }

 private:
  std::unique_ptr<ConditionNode> l_, r_;
};

class NotNode final : public ConditionNode {
 public:
  explicit NotNode(std::unique_ptr<ConditionNode> inner) : inner_(std::move(inner)) {}
  bool Eval(const Record& record) override { return !inner_->Eval(record); }

 private:
  std::unique_ptr<ConditionNode> inner_;
};

// A bare operand used as a condition: true only when it is the boolean true.
class TruthNode final : public ConditionNode {
 public:
  explicit TruthNode(Operand operand) : operand_(std::move(operand)) {}
  bool Eval(const Record& record) override {
    Scalar s = operand_.Resolve(record);
    return s.kind == Scalar::Kind::kBool && s.b;
  }

 private:
  Operand operand_;
};

class CompareNode final : public ConditionNode {
 public:
  CompareNode(Operand lhs, CompareOp op, Operand rhs) : lhs_(std::move(lhs)), rhs_(std::move(rhs)), op_(op) {}
  bool Eval(const Record& record) override;

 private:
  Operand lhs_, rhs_;
  CompareOp op_;
};

// `operand matches "regex"`: RE2, unanchored (use ^ and $ to anchor); only strings match.
class MatchNode final : public ConditionNode {
 public:
  MatchNode(Operand lhs, std::unique_ptr<RE2> regex) : lhs_(std::move(lhs)), regex_(std::move(regex)) {}
  bool Eval(const Record& record) override {
    Scalar s = lhs_.Resolve(record);
    return s.kind == Scalar::Kind::kString && RE2::PartialMatch(re2::StringPiece(s.s.data(), s.s.size()), *regex_);
  }

 private:
  Operand lhs_;
  std::unique_ptr<RE2> regex_;
};

}  // namespace pipeline
