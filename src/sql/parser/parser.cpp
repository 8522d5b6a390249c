#include "sql/parser/parser.h"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <limits>

#include "sql/parser/parser_internal.h"

namespace pipeline::sql {

Status Parser::ExpectWord(const char* w) {
  if (AcceptWord(w)) return {};
  return ErrorHere(std::string("expected ") + w);
}

Status Parser::ExpectSymbol(const char* s) {
  if (AcceptSymbol(s)) return {};
  return ErrorHere(std::string("expected '") + s + "'");
}

Error Parser::ErrorHere(const std::string& message) const {
  const Token& t = Peek();
  std::string near = t.kind == TokenKind::kEnd ? "end of input" : "'" + t.text + "'";
  return ConfigError(std::to_string(t.line) + ":" + std::to_string(t.col) + ": " + message + " near " + near);
}

Result<std::string> Parser::ParseIdentifier(const char* what) {
  const Token& t = Peek();
  if (t.kind == TokenKind::kIdent || t.kind == TokenKind::kQuotedIdent) return Next().text;
  return ErrorHere(std::string("expected ") + what);
}

// PostgreSQL's limit for NUMERIC. Values are 128-bit (38 digits) and checked against what they hold, so larger
// declarations are only numbers to refuse: ksqlDB's own test cases declare up to DECIMAL(50, …).
constexpr int64_t kMaxDecimalDigits = 1000;
// The scale is a power of ten that values are multiplied by: beyond 10^38 a 128-bit decimal overflowed into wrong
// values, and from 10^128 on into zero, a division by which ended the process (SIGFPE).
constexpr int64_t kMaxDecimalScale = 38;

int64_t UnitToMillis(const std::string& u) {
  std::string s = u;
  if (!s.empty() && s.back() == 'S') s.pop_back();
  if (s == "MILLISECOND") return 1;
  if (s == "SECOND") return 1000;
  if (s == "MINUTE") return 60'000;
  if (s == "HOUR") return 3'600'000;
  if (s == "DAY") return 86'400'000;
  if (s == "WEEK") return 7 * 86'400'000LL;
  return 0;
}

Result<int64_t> Parser::ParseBoundedInteger(const char* what, int64_t min, int64_t max) {
  const Token& t = Peek();
  if (t.kind != TokenKind::kInteger) return ErrorHere(std::string("expected ") + what);
  int64_t n = 0;
  auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), n);
  if (ec != std::errc() || end != t.text.data() + t.text.size() || n < min || n > max)
    return ErrorHere(std::string(what) + " out of range: expected " + std::to_string(min) + " to " +
                     std::to_string(max));
  Next();
  return n;
}

Result<int64_t> Parser::ParseDuration() {
  if (Peek().kind != TokenKind::kInteger) return ErrorHere("expected a duration such as 5 SECONDS");
  const Token amount = Peek();
  auto n = ParseBoundedInteger("a duration", 0, std::numeric_limits<int64_t>::max());
  if (!n) return n.error();
  if (Peek().kind != TokenKind::kIdent) return ErrorHere("expected a time unit");
  int64_t unit = UnitToMillis(Peek().text);
  if (unit == 0) return ErrorHere("unknown time unit");
  int64_t ms = 0;
  if (__builtin_mul_overflow(*n, unit, &ms))
    return ConfigError(std::to_string(amount.line) + ":" + std::to_string(amount.col) + ": the duration " +
                       amount.text + " " + Peek().text + " exceeds 64-bit milliseconds");
  Next();
  return ms;
}

Result<SqlType> Parser::ParseType() {
  return Nested([this] { return ParseTypeUnnested(); });
}

Result<SqlType> Parser::ParseTypeUnnested() {
  const Token& t = Peek();
  if (t.kind != TokenKind::kIdent) return ErrorHere("expected a type");
  std::string n = Next().text;
  if (n == "INT" || n == "INTEGER") return SqlType::Of(TypeId::kInt);
  if (n == "BIGINT") return SqlType::Of(TypeId::kBigInt);
  if (n == "DOUBLE") return SqlType::Of(TypeId::kDouble);
  if (n == "BOOLEAN") return SqlType::Of(TypeId::kBoolean);
  if (n == "STRING" || n == "VARCHAR") return SqlType::Of(TypeId::kString);
  if (n == "BYTES") return SqlType::Of(TypeId::kBytes);
  if (n == "DATE") return SqlType::Of(TypeId::kDate);
  if (n == "TIME") return SqlType::Of(TypeId::kTime);
  if (n == "TIMESTAMP") return SqlType::Of(TypeId::kTimestamp);
  if (n == "DECIMAL") {
    PIPE_RETURN_IF_ERROR(ExpectSymbol("("));
    auto p = ParseBoundedInteger("DECIMAL precision", 0, kMaxDecimalDigits);
    if (!p) return p.error();
    int64_t s = 0;
    if (AcceptSymbol(",")) {
      auto scale = ParseBoundedInteger("DECIMAL scale", 0, kMaxDecimalScale);
      if (!scale) return scale.error();
      s = *scale;
    }
    PIPE_RETURN_IF_ERROR(ExpectSymbol(")"));
    if (*p < 1) return ErrorHere("DECIMAL precision must be >= 1");
    if (s > *p) return ErrorHere("DECIMAL scale must be <= precision");
    return SqlType::Decimal(static_cast<int>(*p), static_cast<int>(s));
  }
  if (n == "ARRAY") {
    PIPE_RETURN_IF_ERROR(ExpectSymbol("<"));
    auto e = ParseType();
    if (!e) return e.error();
    PIPE_RETURN_IF_ERROR(ExpectSymbol(">"));
    return SqlType::Array(*e);
  }
  if (n == "MAP") {
    PIPE_RETURN_IF_ERROR(ExpectSymbol("<"));
    auto k = ParseType();
    if (!k) return k.error();
    PIPE_RETURN_IF_ERROR(ExpectSymbol(","));
    auto v = ParseType();
    if (!v) return v.error();
    PIPE_RETURN_IF_ERROR(ExpectSymbol(">"));
    return SqlType::Map(*k, *v);
  }
  if (n == "STRUCT") {
    auto f = ParseStructFields();
    if (!f) return f.error();
    return SqlType::Struct(std::move(*f));
  }
  if (auto custom = types_.find(n); custom != types_.end()) return custom->second;
  return ConfigError(std::to_string(t.line) + ":" + std::to_string(t.col) + ": unknown type " + n);
}

Result<std::vector<StructField>> Parser::ParseStructFields() {
  PIPE_RETURN_IF_ERROR(ExpectSymbol("<"));
  std::vector<StructField> fields;
  if (AcceptSymbol(">")) return fields;
  do {
    auto name = ParseIdentifier("a field name");
    if (!name) return name.error();
    auto type = ParseType();
    if (!type) return type.error();
    fields.push_back({*name, MakeType(*type)});
  } while (AcceptSymbol(","));
  PIPE_RETURN_IF_ERROR(ExpectSymbol(">"));
  return fields;
}

namespace {

bool IsClauseWord(const Token& t) {
  static const char* kWords[] = {"JOIN", "LEFT", "RIGHT", "INNER", "FULL", "OUTER", "WINDOW", "WHERE", "GROUP",
                                 "PARTITION", "HAVING", "EMIT", "LIMIT", "WITHIN", "ON"};
  if (t.kind != TokenKind::kIdent) return false;
  for (const char* w : kWords)
    if (t.text == w) return true;
  return false;
}

}  // namespace

Result<Select> Parser::ParseSelect() {
  Select s;
  s.pos = Pos();
  PIPE_RETURN_IF_ERROR(ExpectWord("SELECT"));
  do {
    SelectItem item;
    item.pos = Pos();
    auto e = ParseExpr();
    if (!e) return e.error();
    item.expr = *e;
    if (AcceptWord("AS")) {
      auto a = ParseIdentifier("an alias");
      if (!a) return a.error();
      item.alias = *a;
    } else if ((Peek().kind == TokenKind::kIdent && !Peek().IsWord("FROM")) || Peek().kind == TokenKind::kQuotedIdent) {
      item.alias = Next().text;
    }
    s.items.push_back(std::move(item));
  } while (AcceptSymbol(","));
  PIPE_RETURN_IF_ERROR(ExpectWord("FROM"));
  auto parse_source = [&](SourceRef& ref) -> Status {
    ref.pos = Pos();
    auto n = ParseIdentifier("a stream or table name");
    if (!n) return n.error();
    ref.name = *n;
    ref.alias = *n;
    if (AcceptWord("AS")) {
      auto a = ParseIdentifier("an alias");
      if (!a) return a.error();
      ref.alias = *a;
    } else if ((Peek().kind == TokenKind::kIdent && !IsClauseWord(Peek())) || Peek().kind == TokenKind::kQuotedIdent) {
      ref.alias = Next().text;
    }
    return {};
  };
  PIPE_RETURN_IF_ERROR(parse_source(s.from));
  for (;;) {
    JoinClause j;
    j.pos = Pos();
    if (AcceptWord("JOIN")) {
      j.type = JoinType::kInner;
    } else if (Peek().IsWord("INNER") || Peek().IsWord("LEFT") || Peek().IsWord("RIGHT") || Peek().IsWord("FULL")) {
      std::string w = Next().text;
      j.type = w == "INNER" ? JoinType::kInner : w == "LEFT" ? JoinType::kLeft : w == "RIGHT" ? JoinType::kRight : JoinType::kFull;
      AcceptWord("OUTER");
      PIPE_RETURN_IF_ERROR(ExpectWord("JOIN"));
    } else {
      break;
    }
    PIPE_RETURN_IF_ERROR(parse_source(j.right));
    if (AcceptWord("WITHIN")) {
      j.has_within = true;
      if (AcceptSymbol("(")) {
        auto a = ParseDuration();
        if (!a) return a.error();
        PIPE_RETURN_IF_ERROR(ExpectSymbol(","));
        auto b = ParseDuration();
        if (!b) return b.error();
        PIPE_RETURN_IF_ERROR(ExpectSymbol(")"));
        j.within_before_ms = *a;
        j.within_after_ms = *b;
      } else {
        auto a = ParseDuration();
        if (!a) return a.error();
        j.within_before_ms = j.within_after_ms = *a;
      }
      if (AcceptWord("GRACE")) {
        PIPE_RETURN_IF_ERROR(ExpectWord("PERIOD"));
        auto g = ParseDuration();
        if (!g) return g.error();
        j.grace_ms = *g;
      }
    }
    PIPE_RETURN_IF_ERROR(ExpectWord("ON"));
    auto on = ParseExpr();
    if (!on) return on.error();
    j.on = *on;
    s.joins.push_back(std::move(j));
  }
  if (AcceptWord("WINDOW")) {
    s.window.pos = Pos();
    std::string type = Peek().text;
    if (!AcceptWord("TUMBLING") && !AcceptWord("HOPPING") && !AcceptWord("SESSION"))
      return ErrorHere("expected TUMBLING, HOPPING or SESSION");
    s.window.type = type == "TUMBLING" ? WindowType::kTumbling : type == "HOPPING" ? WindowType::kHopping : WindowType::kSession;
    PIPE_RETURN_IF_ERROR(ExpectSymbol("("));
    bool first = true;
    do {
      if (AcceptWord("SIZE")) {
        auto d = ParseDuration();
        if (!d) return d.error();
        s.window.size_ms = *d;
      } else if (AcceptWord("ADVANCE")) {
        PIPE_RETURN_IF_ERROR(ExpectWord("BY"));
        auto d = ParseDuration();
        if (!d) return d.error();
        s.window.advance_ms = *d;
      } else if (AcceptWord("RETENTION")) {
        auto d = ParseDuration();
        if (!d) return d.error();
        s.window.retention_ms = *d;
      } else if (AcceptWord("GRACE")) {
        PIPE_RETURN_IF_ERROR(ExpectWord("PERIOD"));
        auto d = ParseDuration();
        if (!d) return d.error();
        s.window.grace_ms = *d;
      } else if (first && s.window.type == WindowType::kSession) {
        auto d = ParseDuration();
        if (!d) return d.error();
        s.window.size_ms = *d;
      } else {
        return ErrorHere("expected SIZE, ADVANCE BY, RETENTION or GRACE PERIOD");
      }
      first = false;
    } while (AcceptSymbol(","));
    PIPE_RETURN_IF_ERROR(ExpectSymbol(")"));
    if (s.window.type == WindowType::kHopping && s.window.advance_ms == 0)
      return ErrorHere("HOPPING windows need ADVANCE BY");
  }
  if (AcceptWord("WHERE")) {
    auto w = ParseExpr();
    if (!w) return w.error();
    s.where = *w;
  }
  if (AcceptWord("GROUP")) {
    PIPE_RETURN_IF_ERROR(ExpectWord("BY"));
    // GROUP BY (a, b) is the same as GROUP BY a, b.
    size_t start = index();
    bool tuple = false;
    if (AcceptSymbol("(")) {
      auto first = ParseExpr();
      if (first && Peek().Is(",")) {
        tuple = true;
        s.group_by.push_back(*first);
        while (AcceptSymbol(",")) {
          auto g = ParseExpr();
          if (!g) return g.error();
          s.group_by.push_back(*g);
        }
        PIPE_RETURN_IF_ERROR(ExpectSymbol(")"));
      } else {
        Rewind(start);
      }
    }
    if (!tuple) {
      do {
        auto g = ParseExpr();
        if (!g) return g.error();
        s.group_by.push_back(*g);
      } while (AcceptSymbol(","));
    }
  }
  if (AcceptWord("PARTITION")) {
    PIPE_RETURN_IF_ERROR(ExpectWord("BY"));
    do {
      auto g = ParseExpr();
      if (!g) return g.error();
      s.partition_by.push_back(*g);
    } while (AcceptSymbol(","));
  }
  if (AcceptWord("HAVING")) {
    auto h = ParseExpr();
    if (!h) return h.error();
    s.having = *h;
  }
  if (AcceptWord("EMIT")) {
    if (AcceptWord("CHANGES")) s.emit_changes = true;
    else if (AcceptWord("FINAL")) s.emit_final = true;
    else return ErrorHere("expected CHANGES or FINAL");
  }
  if (AcceptWord("LIMIT")) {
    auto limit = ParseBoundedInteger("a LIMIT", 0, std::numeric_limits<int64_t>::max());
    if (!limit) return limit.error();
    s.limit = *limit;
  }
  return s;
}

namespace {

Status ParseProperties(Parser& p, Statement& st) {
  PIPE_RETURN_IF_ERROR(p.ExpectSymbol("("));
  do {
    Position pos = p.Pos();
    auto key = p.ParseIdentifier("a property name");
    if (!key) return key.error();
    std::string k = *key;
    for (auto& c : k) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    PIPE_RETURN_IF_ERROR(p.ExpectSymbol("="));
    const Token& t = p.Peek();
    Value v;
    if (t.kind == TokenKind::kString) v = Value(t.text);
    else if (t.kind == TokenKind::kInteger) {
      auto n = p.ParseBoundedInteger(("the value of " + k).c_str(), 0, std::numeric_limits<int64_t>::max());
      if (!n) return n.error();
      st.properties[k] = Value(*n);
      st.property_pos[k] = pos;
      continue;
    }
    else if (t.kind == TokenKind::kIdent && (t.text == "TRUE" || t.text == "FALSE")) v = Value(t.text == "TRUE");
    else if (t.kind == TokenKind::kIdent || t.kind == TokenKind::kDecimal) v = Value(t.text);
    else return p.ErrorHere("expected a property value");
    p.Next();
    st.properties[k] = v;
    st.property_pos[k] = pos;
  } while (p.AcceptSymbol(","));
  return p.ExpectSymbol(")");
}

}  // namespace

Status Parser::AcceptIfNotExists(Statement& st) {
  if (!AcceptWord("IF")) return {};
  PIPE_RETURN_IF_ERROR(ExpectWord("NOT"));
  PIPE_RETURN_IF_ERROR(ExpectWord("EXISTS"));
  st.if_not_exists = true;
  return {};
}

// [IF EXISTS] name, of a DROP.
Status Parser::ParseDropped(Statement& st, const char* what) {
  if (AcceptWord("IF")) {
    PIPE_RETURN_IF_ERROR(ExpectWord("EXISTS"));
    st.if_exists = true;
  }
  auto name = ParseIdentifier(what);
  if (!name) return name.error();
  st.name = *name;
  return {};
}

// CREATE TYPE [IF NOT EXISTS] name AS type: the name stands for the type in later column definitions.
Result<Statement> Parser::ParseCreateType(Statement st) {
  PIPE_RETURN_IF_ERROR(AcceptIfNotExists(st));
  auto name = ParseIdentifier("a type name");
  if (!name) return name.error();
  st.name = *name;
  PIPE_RETURN_IF_ERROR(ExpectWord("AS"));
  auto type = ParseType();
  if (!type) return type.error();
  st.declared_type = *type;
  st.kind = StatementKind::kCreateType;
  if (!st.if_not_exists || !types_.count(st.name)) types_[st.name] = st.declared_type;
  return st;
}

Result<Statement> Parser::ParseStatement() {
  Statement st;
  st.pos = Pos();
  if (Peek().IsWord("CREATE") && Peek(1).IsWord("TYPE")) {
    Next();
    Next();
    return ParseCreateType(std::move(st));
  }
  if (Peek().IsWord("DROP") && Peek(1).IsWord("TYPE")) {
    Next();
    Next();
    PIPE_RETURN_IF_ERROR(ParseDropped(st, "a type name"));
    st.kind = StatementKind::kDropType;
    types_.erase(st.name);
    return st;
  }
  if (AcceptWord("CREATE")) {
    if (AcceptWord("OR")) {
      PIPE_RETURN_IF_ERROR(ExpectWord("REPLACE"));
      st.or_replace = true;
    }
    st.is_source = AcceptWord("SOURCE");
    if (AcceptWord("TABLE")) st.is_table = true;
    else if (!AcceptWord("STREAM")) return ErrorHere("expected STREAM or TABLE");
    PIPE_RETURN_IF_ERROR(AcceptIfNotExists(st));
    auto name = ParseIdentifier("a stream or table name");
    if (!name) return name.error();
    st.name = *name;
    st.kind = StatementKind::kCreateSource;
    if (AcceptSymbol("(")) {
      do {
        ColumnDef c;
        c.pos = Pos();
        auto cn = ParseIdentifier("a column name");
        if (!cn) return cn.error();
        c.name = *cn;
        auto type = ParseType();
        if (!type) return type.error();
        c.type = *type;
        if (AcceptWord("PRIMARY")) {
          PIPE_RETURN_IF_ERROR(ExpectWord("KEY"));
          c.key = c.primary_key = true;
        } else if (AcceptWord("KEY")) {
          c.key = true;
        } else if (AcceptWord("HEADERS")) {
          c.headers = true;
        } else if (AcceptWord("HEADER")) {
          c.headers = true;
          PIPE_RETURN_IF_ERROR(ExpectSymbol("("));
          if (Peek().kind != TokenKind::kString) return ErrorHere("expected a header key");
          c.header_key = Next().text;
          PIPE_RETURN_IF_ERROR(ExpectSymbol(")"));
        }
        st.columns.push_back(std::move(c));
      } while (AcceptSymbol(","));
      PIPE_RETURN_IF_ERROR(ExpectSymbol(")"));
    }
    if (AcceptWord("WITH")) PIPE_RETURN_IF_ERROR(ParseProperties(*this, st));
    if (AcceptWord("AS")) {
      auto sel = ParseSelect();
      if (!sel) return sel.error();
      st.select = std::move(*sel);
      st.kind = StatementKind::kCreateAsSelect;
    }
  } else if (AcceptWord("INSERT")) {
    PIPE_RETURN_IF_ERROR(ExpectWord("INTO"));
    auto name = ParseIdentifier("a stream name");
    if (!name) return name.error();
    st.name = *name;
    if (AcceptWord("WITH")) PIPE_RETURN_IF_ERROR(ParseProperties(*this, st));
    if (Peek().IsWord("SELECT")) {
      auto sel = ParseSelect();
      if (!sel) return sel.error();
      st.select = std::move(*sel);
      st.kind = StatementKind::kInsertInto;
    } else {
      if (AcceptSymbol("(")) {
        do {
          auto c = ParseIdentifier("a column name");
          if (!c) return c.error();
          st.insert_columns.push_back(*c);
        } while (AcceptSymbol(","));
        PIPE_RETURN_IF_ERROR(ExpectSymbol(")"));
      }
      PIPE_RETURN_IF_ERROR(ExpectWord("VALUES"));
      PIPE_RETURN_IF_ERROR(ExpectSymbol("("));
      do {
        auto e = ParseExpr();
        if (!e) return e.error();
        st.insert_values.push_back(*e);
      } while (AcceptSymbol(","));
      PIPE_RETURN_IF_ERROR(ExpectSymbol(")"));
      st.kind = StatementKind::kInsertValues;
    }
  } else if (AcceptWord("DROP")) {
    if (AcceptWord("TABLE")) st.is_table = true;
    else if (!AcceptWord("STREAM")) return ErrorHere("expected STREAM or TABLE");
    PIPE_RETURN_IF_ERROR(ParseDropped(st, "a stream or table name"));
    if (AcceptWord("DELETE")) {
      PIPE_RETURN_IF_ERROR(ExpectWord("TOPIC"));
      st.delete_topic = true;
    }
    st.kind = StatementKind::kDrop;
  } else if (AcceptWord("ALTER")) {
    st.is_table = Peek().IsWord("TABLE");
    Next();
    auto name = ParseIdentifier("a stream or table name");
    if (!name) return name.error();
    st.name = *name;
    while (!AtEnd() && !Peek().Is(";")) Next();
    st.kind = StatementKind::kAlter;
  } else {
    // SET, TERMINATE, SHOW ...: statements of ksqlDB's server that change nothing here, skipped up to the next ';'.
    static constexpr const char* kSkipped[] = {"SET",   "UNSET",  "TERMINATE", "SHOW",   "LIST",     "DESCRIBE", "EXPLAIN",
                                               "PRINT", "PAUSE",  "RESUME",    "DEFINE", "UNDEFINE", "ASSERT"};
    const Token& first = Peek();
    if (std::none_of(std::begin(kSkipped), std::end(kSkipped), [&](const char* w) { return first.IsWord(w); }))
      return ErrorHere("Syntax Error: unknown statement '" + first.text + "'");
    while (!AtEnd() && !Peek().Is(";")) Next();
    st.kind = StatementKind::kOther;
  }
  return st;
}

Result<std::vector<Statement>> ParseStatements(const std::string& text, const TypeAliases& types) {
  auto tokens = Lex(text);
  if (!tokens) return tokens.error();
  Parser p(std::move(*tokens), &text, types);
  std::vector<Statement> out;
  while (!p.AtEnd()) {
    if (p.AcceptSymbol(";")) continue;
    size_t start = p.Peek().offset;
    auto st = p.ParseStatement();
    if (!st) return st.error();
    if (!p.AtEnd() && !p.Peek().Is(";")) return p.ErrorHere("unexpected input after statement");
    st->text = text.substr(start, p.Peek().offset - start);
    out.push_back(std::move(*st));
  }
  return out;
}

Result<ExprPtr> ParseExpression(const std::string& text) {
  auto tokens = Lex(text);
  if (!tokens) return tokens.error();
  Parser p(std::move(*tokens), &text);
  auto e = p.ParseExpr();
  if (!e) return e.error();
  if (!p.AtEnd()) return p.ErrorHere("unexpected input after expression");
  return e;
}

}  // namespace pipeline::sql
