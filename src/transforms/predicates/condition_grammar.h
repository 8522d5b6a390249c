// The grammar and meaning of record conditions (status >= 400 and level == "error"), as markdown: the one text
// `pipe docs` prints (so the reference is complete without the source tree) and transforms/README.md points to.
// The parser is condition.cpp; a change of grammar changes this text with it.
#pragma once

namespace pipeline::transforms {

inline constexpr const char* kConditionGrammarMarkdown = R"grammar(### Conditions

Conditions are what `Filter`, every transform's `predicate:` and the file, stdout and blackhole
sinks' `reject_when:` take.

A condition is parsed once, when the pipeline starts, into an evaluator tree; evaluation does not allocate.

```
condition  := or
or         := and { ("or" | "||") and }
and        := unary { ("and" | "&&") unary }
unary      := ("not" | "!") unary | "(" or ")" | comparison
comparison := operand [ op operand | "matches" STRING ]
op         := "==" | "=" | "!=" | "<" | "<=" | ">" | ">=" | "contains"
operand    := NUMBER | STRING | "true" | "false" | "null" | path
path       := name { "." name }
name       := [A-Za-z_$@][A-Za-z0-9_$@-]* | `any text`
STRING     := "…" | '…'   (backslash escapes \" \' \\ \n \t)
```

Keywords are case-insensitive. Examples: `status >= 400`, `level == "error"`, `message contains "Invalid"`,
`http.method == "POST" and not (path matches "^/health")`, `` `user name` != null ``.

- **Paths** walk the record value through structs and string-keyed maps (`http.request.method`). A missing field
  is `null`. Record attributes: `$topic`, `$timestamp` (ms), `$partition`, `$offset` (null when the source has
  none), `$key` / `$key.field`, `$headers.NAME`. Quote a field whose name is a keyword or starts with `$`
  with backticks.
- **Equality** (`==`, `!=`): numbers compare by value across int/double/decimal; strings exactly (case-sensitive);
  `null` equals only null/missing; different types are unequal.
- **Ordering** (`<`, `<=`, `>`, `>=`): numbers numerically, strings lexicographically (bytewise). A string holding a
  number (`"404"`, from text input) compares with a number as that number. Anything else (null, missing,
  mismatched types) makes the comparison false — so `missing > 1` and `missing <= 1` are both false.
- **contains**: substring for strings; element equality for arrays; false otherwise.
- **matches**: RE2 regex, unanchored (use `^…$`), only strings match. The regex must be a literal.
- A **bare operand** (`active`, `not deleted`) is true only when it is the boolean `true`.
- TIMESTAMP values compare as epoch milliseconds, DATE as days, TIME as ms of day.
)grammar";

}  // namespace pipeline::transforms
