#include "transforms/predicates/condition.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "transforms/predicates/condition_lexer.h"
#include "transforms/predicates/condition_nodes.h"

namespace pipeline {

bool CompareNode::Eval(const Record& record) {
  Scalar a = lhs_.Resolve(record);
  Scalar b = rhs_.Resolve(record);
  switch (op_) {
    case CompareOp::kEq:
      return ScalarsEqual(a, b);
    case CompareOp::kNe:
      return !ScalarsEqual(a, b);
    case CompareOp::kContains:
      if (a.kind == Scalar::Kind::kString && b.kind == Scalar::Kind::kString) return a.s.find(b.s) != a.s.npos;
      if (a.kind == Scalar::Kind::kComposite && a.value->is_array()) {
        const Array& items = a.value->as_array();
        return std::any_of(items.begin(), items.end(), [&](const Value& v) { return ScalarsEqual(Scalar::Of(&v), b); });
      }
      return false;
    case CompareOp::kMatches:
      return false;  // MatchNode handles matches
    default:
      break;
  }
  auto order = CompareScalars(a, b);
  if (!order) return false;
  switch (op_) {
    case CompareOp::kLt:
      return *order < 0;
    case CompareOp::kLe:
      return *order <= 0;
    case CompareOp::kGt:
      return *order > 0;
    case CompareOp::kGe:
      return *order >= 0;
    default:
      return false;
  }
}

namespace {

using Tok = ConditionTokenKind;

bool IsKeyword(const ConditionToken& t, std::string_view word) {
  if (t.kind != Tok::kName || t.text.size() != word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(t.text[i])) != word[i]) return false;
  return true;
}

// Recursive descent over the token list; see the grammar in transforms/README.md.
class ConditionParser {
 public:
  explicit ConditionParser(std::vector<ConditionToken> tokens) : tokens_(std::move(tokens)) {}
  // The top-level value fields the parsed condition reads.
  std::vector<std::string> TakeValueFields() { return std::move(value_fields_); }

  Result<std::unique_ptr<ConditionNode>> ParseAll() {
    auto node = ParseOr();
    if (!node.ok()) return node;
    if (Peek().kind != Tok::kEnd) return ErrorHere("expected and/or or the end of the condition");
    return node;
  }

 private:
  const ConditionToken& Peek() const { return tokens_[pos_]; }
  const ConditionToken& Take() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }

  Error ErrorHere(const std::string& what) const {
    const ConditionToken& t = Peek();
    std::string found = t.kind == Tok::kEnd ? "the end" : "'" + t.text + "'";
    return ConfigError("" + what + ", found " + found + " at column " + std::to_string(t.column));
  }

  Result<std::unique_ptr<ConditionNode>> ParseOr() {
    auto left = ParseAnd();
    if (!left.ok()) return left;
    std::unique_ptr<ConditionNode> node = std::move(left).value();
    while (IsKeyword(Peek(), "or") || Peek().kind == Tok::kOrOr) {
      Take();
      auto right = ParseAnd();
      if (!right.ok()) return right;
      node = std::make_unique<OrNode>(std::move(node), std::move(right).value());
    }
    return node;
  }

  Result<std::unique_ptr<ConditionNode>> ParseAnd() {
    auto left = ParseUnary();
    if (!left.ok()) return left;
    std::unique_ptr<ConditionNode> node = std::move(left).value();
    while (IsKeyword(Peek(), "and") || Peek().kind == Tok::kAndAnd) {
      Take();
      auto right = ParseUnary();
      if (!right.ok()) return right;
      node = std::make_unique<AndNode>(std::move(node), std::move(right).value());
    }
    return node;
  }

  Result<std::unique_ptr<ConditionNode>> ParseUnary() {
    if (IsKeyword(Peek(), "not") || Peek().kind == Tok::kBang) {
      Take();
      auto inner = ParseUnary();
      if (!inner.ok()) return inner;
      return std::unique_ptr<ConditionNode>(std::make_unique<NotNode>(std::move(inner).value()));
    }
    if (Peek().kind == Tok::kLeftParen) {
      Take();
      auto inner = ParseOr();
      if (!inner.ok()) return inner;
      if (Peek().kind != Tok::kRightParen) return ErrorHere("expected ')'");
      Take();
      return inner;
    }
    return ParseComparison();
  }

  Result<std::unique_ptr<ConditionNode>> ParseComparison() {
    auto lhs = ParseOperand();
    if (!lhs.ok()) return lhs.error();
    const ConditionToken& t = Peek();
    CompareOp op;
    switch (t.kind) {
      case Tok::kEq:
        op = CompareOp::kEq;
        break;
      case Tok::kNe:
        op = CompareOp::kNe;
        break;
      case Tok::kLt:
        op = CompareOp::kLt;
        break;
      case Tok::kLe:
        op = CompareOp::kLe;
        break;
      case Tok::kGt:
        op = CompareOp::kGt;
        break;
      case Tok::kGe:
        op = CompareOp::kGe;
        break;
      default:
        if (IsKeyword(t, "contains")) {
          op = CompareOp::kContains;
        } else if (IsKeyword(t, "matches")) {
          op = CompareOp::kMatches;
        } else {
          return std::unique_ptr<ConditionNode>(std::make_unique<TruthNode>(std::move(lhs).value()));
        }
    }
    Take();
    if (op == CompareOp::kMatches) {
      if (Peek().kind != Tok::kString) return ErrorHere("expected a \"regex\" string after matches");
      const ConditionToken& pattern = Take();
      auto regex = std::make_unique<RE2>(pattern.text, RE2::Quiet);
      if (!regex->ok())
        return ConfigError("bad regex \"" + pattern.text + "\" at column " + std::to_string(pattern.column) + ": " +
                           regex->error());
      return std::unique_ptr<ConditionNode>(std::make_unique<MatchNode>(std::move(lhs).value(), std::move(regex)));
    }
    auto rhs = ParseOperand();
    if (!rhs.ok()) return rhs.error();
    return std::unique_ptr<ConditionNode>(
        std::make_unique<CompareNode>(std::move(lhs).value(), op, std::move(rhs).value()));
  }

  Result<Operand> ParseOperand() {
    const ConditionToken& t = Peek();
    switch (t.kind) {
      case Tok::kString:
        return Operand::Literal(Value(Take().text));
      case Tok::kInt:
        return Operand::Literal(Value(Take().int_value));
      case Tok::kDouble:
        return Operand::Literal(Value(Take().double_value));
      case Tok::kName:
        if (IsKeyword(t, "true") || IsKeyword(t, "false")) return Operand::Literal(Value(IsKeyword(Take(), "true")));
        if (IsKeyword(t, "null")) {
          Take();
          return Operand::Literal(Value());
        }
        for (std::string_view word : {"and", "or", "not", "contains", "matches"})
          if (IsKeyword(t, word))
            return ErrorHere("expected a field or a value (quote a field named " + std::string(word) + " as `" +
                             std::string(word) + "`)");
        return ParsePath();
      case Tok::kQuotedName:
        return ParsePath();
      default:
        return ErrorHere("expected a field or a value");
    }
  }

  Result<Operand> ParsePath() {
    std::vector<std::string> segments;
    bool first_quoted = Peek().kind == Tok::kQuotedName;
    segments.push_back(Take().text);
    while (Peek().kind == Tok::kDot) {
      Take();
      if (Peek().kind != Tok::kName && Peek().kind != Tok::kQuotedName)
        return ErrorHere("expected a field name after '.'");
      segments.push_back(Take().text);
    }
    if (first_quoted || segments[0].empty() || segments[0][0] != '$') {
      value_fields_.push_back(segments[0]);
      return Operand::Field(Operand::Source::kValueField, std::move(segments));
    }
    // Record attributes: $topic, $timestamp, $partition, $offset, $key[.path], $value.path, $headers.NAME
    std::string root = segments[0];
    segments.erase(segments.begin());
    using S = Operand::Source;
    auto attribute = [&](S source) -> Result<Operand> {
      if (!segments.empty()) return ConfigError("" + root + " has no fields");
      return Operand::Attribute(source);
    };
    if (root == "$topic") return attribute(S::kTopic);
    if (root == "$timestamp") return attribute(S::kTimestamp);
    if (root == "$partition") return attribute(S::kPartition);
    if (root == "$offset") return attribute(S::kOffset);
    if (root == "$key") return segments.empty() ? Operand::Attribute(S::kKey) : Operand::Field(S::kKeyField, segments);
    if (root == "$value") {
      if (segments.empty()) return ConfigError("write fields of the value without $value (status, not $value)");
      value_fields_.push_back(segments[0]);
      return Operand::Field(S::kValueField, std::move(segments));
    }
    if (root == "$headers") {
      if (segments.size() != 1) return ConfigError("name one header as $headers.NAME (or $headers.`NAME`)");
      return Operand::Attribute(S::kHeader, segments[0]);
    }
    return ConfigError("unknown record attribute " + root +
                       " (known: $topic, $timestamp, $partition, $offset, $key, $headers.NAME; quote a field "
                       "whose name starts with $ as `" +
                       root + "`)");
  }

  std::vector<ConditionToken> tokens_;
  size_t pos_ = 0;
  std::vector<std::string> value_fields_;  // top-level value fields read, for FieldDemand
};

}  // namespace

Result<Condition> Condition::Parse(std::string_view text) {
  auto in_text = [&](const Error& e) { return ConfigError(e.message() + " in \"" + std::string(text) + "\""); };
  auto tokens = TokenizeCondition(text);
  if (!tokens.ok()) return in_text(tokens.error());
  if (tokens->size() == 1) return ConfigError("empty condition");
  ConditionParser parser(std::move(tokens).value());
  auto root = parser.ParseAll();
  if (!root.ok()) return in_text(root.error());
  return Condition(std::string(text), std::move(root).value(), parser.TakeValueFields());
}

}  // namespace pipeline
