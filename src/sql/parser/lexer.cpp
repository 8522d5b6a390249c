#include "sql/parser/lexer.h"
#include "sql/identifier.h"

#include <cctype>

namespace pipeline::sql {

namespace {

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '@' || c == '$'; }
bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '@' || c == '$'; }

}  // namespace

Result<std::vector<Token>> Lex(const std::string& text) {
  std::vector<Token> out;
  int line = 1;
  size_t line_start = 0;
  size_t i = 0;
  const size_t n = text.size();
  auto error = [&](size_t at, const std::string& msg) {
    return ConfigError(std::to_string(line) + ":" + std::to_string(at - line_start + 1) + ": " + msg);
  };
  while (i < n) {
    char c = text[i];
    if (c == '\n') { ++line; line_start = ++i; continue; }
    if (std::isspace(static_cast<unsigned char>(c))) { ++i; continue; }
    if (c == '-' && i + 1 < n && text[i + 1] == '-') {  // line comment
      while (i < n && text[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && i + 1 < n && text[i + 1] == '*') {
      i += 2;
      while (i + 1 < n && !(text[i] == '*' && text[i + 1] == '/')) {
        if (text[i] == '\n') { ++line; line_start = i + 1; }
        ++i;
      }
      i += 2;
      continue;
    }
    Token t;
    t.line = line;
    t.col = static_cast<int>(i - line_start + 1);
    t.offset = i;
    if (IsIdentStart(c)) {
      size_t j = i;
      while (j < n && IsIdentChar(text[j])) ++j;
      t.kind = TokenKind::kIdent;
      t.text = AsciiUpper(text.substr(i, j - i));
      i = j;
    } else if (c == '`' || c == '"') {
      size_t j = i + 1;
      std::string s;
      while (j < n) {
        if (text[j] == c) {
          if (j + 1 < n && text[j + 1] == c) { s += c; j += 2; continue; }
          break;
        }
        s += text[j++];
      }
      if (j >= n) return error(i, "unterminated quoted identifier");
      t.kind = TokenKind::kQuotedIdent;
      t.text = std::move(s);
      i = j + 1;
    } else if (c == '\'') {
      size_t j = i + 1;
      std::string s;
      while (j < n) {
        if (text[j] == '\'') {
          if (j + 1 < n && text[j + 1] == '\'') { s += '\''; j += 2; continue; }
          break;
        }
        if (text[j] == '\n') { ++line; line_start = j + 1; }
        s += text[j++];
      }
      if (j >= n) return error(i, "unterminated string literal");
      t.kind = TokenKind::kString;
      t.text = std::move(s);
      i = j + 1;
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i + 1 < n && std::isdigit(static_cast<unsigned char>(text[i + 1])))) {
      size_t j = i;
      bool decimal = false;
      while (j < n && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
      if (j < n && text[j] == '.') {
        decimal = true;
        ++j;
        while (j < n && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
      }
      if (j < n && (text[j] == 'e' || text[j] == 'E')) {
        size_t k = j + 1;
        if (k < n && (text[k] == '+' || text[k] == '-')) ++k;
        if (k < n && std::isdigit(static_cast<unsigned char>(text[k]))) {
          decimal = true;
          j = k;
          while (j < n && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
          t.kind = TokenKind::kDouble;  // scientific notation is a DOUBLE, not a DECIMAL
          t.text = text.substr(i, j - i);
          i = j;
          out.push_back(std::move(t));
          continue;
        }
      }
      if (!decimal && j < n && IsIdentStart(text[j])) {
        // Digits then letters: ksqlDB's DIGIT_IDENTIFIER (`ROUND(v, -1) AS 1R`), an identifier like any other.
        while (j < n && IsIdentChar(text[j])) ++j;
        t.kind = TokenKind::kIdent;
        t.text = AsciiUpper(text.substr(i, j - i));
        i = j;
        out.push_back(std::move(t));
        continue;
      }
      t.kind = decimal ? TokenKind::kDecimal : TokenKind::kInteger;
      t.text = text.substr(i, j - i);
      i = j;
    } else {
      static const char* kTwo[] = {"<=", ">=", "<>", "!=", "||", "->", "=>", ":="};
      t.kind = TokenKind::kSymbol;
      bool matched = false;
      if (i + 1 < n) {
        for (const char* two : kTwo) {
          if (text[i] == two[0] && text[i + 1] == two[1]) {
            t.text = two;
            i += 2;
            matched = true;
            break;
          }
        }
      }
      if (!matched) {
        if (std::string("(),;.+-*/%=<>[]:{}").find(c) == std::string::npos)
          return error(i, std::string("unexpected character '") + c + "'");
        t.text = std::string(1, c);
        ++i;
      }
    }
    out.push_back(std::move(t));
  }
  Token end;
  end.kind = TokenKind::kEnd;
  end.line = line;
  end.col = static_cast<int>(i - line_start + 1);
  end.offset = n;
  out.push_back(end);
  return out;
}

}  // namespace pipeline::sql
