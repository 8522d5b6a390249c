// Lexer for the ksqlDB dialect: identifiers (unquoted ones upper-cased, `quoted` and "quoted" kept), string and
// number literals, operators. Every token carries its 1-based line:col for error messages.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace pipeline::sql {

enum class TokenKind { kIdent, kQuotedIdent, kString, kInteger, kDecimal, kDouble, kSymbol, kEnd };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  // identifiers upper-cased unless quoted; strings unescaped; symbols as written
  int line = 1;
  int col = 1;
  size_t offset = 0;  // byte offset in the source text (to cut statement text)
  bool Is(const char* symbol) const { return kind == TokenKind::kSymbol && text == symbol; }
  bool IsWord(const char* upper) const { return kind == TokenKind::kIdent && text == upper; }
};

Result<std::vector<Token>> Lex(const std::string& text);

}  // namespace pipeline::sql
