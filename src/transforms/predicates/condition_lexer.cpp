#include "transforms/predicates/condition_lexer.h"

#include <cctype>
#include <charconv>

namespace pipeline {
namespace {

bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '@'; }
bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '-' || c == '@';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Error LexError(size_t column, const std::string& what) {
  return ConfigError("" + what + " at column " + std::to_string(column));
}

}  // namespace

Result<std::vector<ConditionToken>> TokenizeCondition(std::string_view text) {
  std::vector<ConditionToken> tokens;
  size_t i = 0;
  auto add = [&](ConditionTokenKind kind, size_t start, size_t length) {
    ConditionToken t;
    t.kind = kind;
    t.column = start + 1;
    t.text = std::string(text.substr(start, length));
    tokens.push_back(std::move(t));
    i = start + length;
  };
  while (i < text.size()) {
    char c = text[i];
    char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (IsDigit(c) || (c == '-' && IsDigit(next))) {
      size_t start = i++;
      bool is_double = false;
      while (i < text.size() && (IsDigit(text[i]) || text[i] == '.' || text[i] == 'e' || text[i] == 'E' ||
                                 ((text[i] == '-' || text[i] == '+') && (text[i - 1] == 'e' || text[i - 1] == 'E')))) {
        if (!IsDigit(text[i])) is_double = true;
        ++i;
      }
      ConditionToken t;
      t.column = start + 1;
      t.text = std::string(text.substr(start, i - start));
      const char* first = t.text.data();
      const char* last = first + t.text.size();
      std::from_chars_result r{};
      if (is_double) {
        t.kind = ConditionTokenKind::kDouble;
        r = std::from_chars(first, last, t.double_value);
      } else {
        t.kind = ConditionTokenKind::kInt;
        r = std::from_chars(first, last, t.int_value);
      }
      if (r.ec != std::errc() || r.ptr != last) return LexError(start + 1, "bad number '" + t.text + "'");
      tokens.push_back(std::move(t));
    } else if (IsNameStart(c)) {
      size_t start = i;
      while (i < text.size() && IsNameChar(text[i])) ++i;
      add(ConditionTokenKind::kName, start, i - start);
    } else if (c == '"' || c == '\'' || c == '`') {
      size_t start = i++;
      std::string value;
      bool closed = false;
      while (i < text.size()) {
        char d = text[i++];
        if (d == c) {
          closed = true;
          break;
        }
        if (d == '\\' && i < text.size()) {
          char e = text[i++];
          switch (e) {
            case 'n':
              value += '\n';
              break;
            case 't':
              value += '\t';
              break;
            case 'r':
              value += '\r';
              break;
            default:
              value += e;  // \" \' \\ and anything else: the character itself
          }
        } else {
          value += d;
        }
      }
      if (!closed) return LexError(start + 1, std::string("unterminated ") + (c == '`' ? "quoted name" : "string"));
      ConditionToken t;
      t.kind = c == '`' ? ConditionTokenKind::kQuotedName : ConditionTokenKind::kString;
      t.column = start + 1;
      t.text = std::move(value);
      tokens.push_back(std::move(t));
    } else {
      size_t start = i;
      std::string_view two = text.substr(i, 2);
      if (two == "==")
        add(ConditionTokenKind::kEq, start, 2);
      else if (two == "!=")
        add(ConditionTokenKind::kNe, start, 2);
      else if (two == "<=")
        add(ConditionTokenKind::kLe, start, 2);
      else if (two == ">=")
        add(ConditionTokenKind::kGe, start, 2);
      else if (two == "&&")
        add(ConditionTokenKind::kAndAnd, start, 2);
      else if (two == "||")
        add(ConditionTokenKind::kOrOr, start, 2);
      else if (c == '=')
        add(ConditionTokenKind::kEq, start, 1);
      else if (c == '<')
        add(ConditionTokenKind::kLt, start, 1);
      else if (c == '>')
        add(ConditionTokenKind::kGt, start, 1);
      else if (c == '!')
        add(ConditionTokenKind::kBang, start, 1);
      else if (c == '.')
        add(ConditionTokenKind::kDot, start, 1);
      else if (c == '(')
        add(ConditionTokenKind::kLeftParen, start, 1);
      else if (c == ')')
        add(ConditionTokenKind::kRightParen, start, 1);
      else
        return LexError(start + 1, std::string("unexpected character '") + c + "'");
    }
  }
  ConditionToken end;
  end.column = text.size() + 1;
  tokens.push_back(std::move(end));
  return tokens;
}

}  // namespace pipeline
