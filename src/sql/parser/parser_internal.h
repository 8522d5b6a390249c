// The parser's token cursor, shared by the statement and expression halves of the grammar.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "sql/parser/ast.h"
#include "sql/parser/lexer.h"

namespace pipeline::sql {

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens, const std::string* text, TypeAliases types = {})
      : t_(std::move(tokens)), text_(text), types_(std::move(types)) {}

  // statements (parser.cpp)
  Result<Statement> ParseStatement();
  Result<Statement> ParseCreateType(Statement st);
  Status AcceptIfNotExists(Statement& st);  // [IF NOT EXISTS]
  Status ParseDropped(Statement& st, const char* what);
  Result<Select> ParseSelect();
  Result<SqlType> ParseType();

  // expressions (parser_expr.cpp)
  Result<ExprPtr> ParseExpr();

  const Token& Peek(size_t ahead = 0) const { return t_[std::min(i_ + ahead, t_.size() - 1)]; }
  const Token& Next() { const Token& t = t_[i_]; if (i_ + 1 < t_.size()) ++i_; return t; }
  bool AtEnd() const { return Peek().kind == TokenKind::kEnd; }
  bool AcceptWord(const char* w) { if (Peek().IsWord(w)) { Next(); return true; } return false; }
  bool AcceptSymbol(const char* s) { if (Peek().Is(s)) { Next(); return true; } return false; }
  Status ExpectWord(const char* w);
  Status ExpectSymbol(const char* s);
  Error ErrorHere(const std::string& message) const;
  Position Pos() const { return {Peek().line, Peek().col}; }
  Result<std::string> ParseIdentifier(const char* what);
  Result<int64_t> ParseDuration();  // "5 SECONDS"
  // The integer token here, consumed, when it lies in [min, max]; else an error at its position naming `what`.
  Result<int64_t> ParseBoundedInteger(const char* what, int64_t min, int64_t max);
  size_t index() const { return i_; }
  void Rewind(size_t index) { i_ = index; }
  const std::string& source_text() const { return *text_; }

 private:
  Result<ExprPtr> ParseOr();
  Result<ExprPtr> ParseAnd();
  Result<ExprPtr> ParseNot();
  Result<ExprPtr> ParsePredicate();
  Result<ExprPtr> ParseConcat();
  Result<ExprPtr> ParseAdditive();
  Result<ExprPtr> ParseMultiplicative();
  Result<ExprPtr> ParseUnary();
  Result<ExprPtr> ParsePostfix();
  Result<ExprPtr> ParsePrimary();
  Result<ExprPtr> ParseFunctionCall(const Token& name);
  ExprPtr TimeUnitArgument(const std::string& function);
  bool AtLambda() const;
  Result<ExprPtr> ParseLambda();
  Result<ExprPtr> ParseCase(Position pos);
  Result<std::vector<StructField>> ParseStructFields();
  Result<SqlType> ParseTypeUnnested();

  // Runs `parse` one nesting level deeper, or fails at the current token beyond kMaxNesting levels: the parser
  // (and the binder and evaluator after it) recurse per level, and 100,000 nested parentheses overflowed the stack.
  template <class Parse>
  auto Nested(Parse&& parse) -> decltype(parse()) {
    if (nesting_ >= kMaxNesting) return ErrorHere("nested more than " + std::to_string(kMaxNesting) + " levels deep");
    ++nesting_;
    auto result = parse();
    --nesting_;
    return result;
  }
  static constexpr int kMaxNesting = 256;

  std::vector<Token> t_;
  const std::string* text_;
  TypeAliases types_;  // custom types known so far: the engine's, then those this text creates
  size_t i_ = 0;
  int nesting_ = 0;  // expressions and types being parsed, one inside the other
};

}  // namespace pipeline::sql
