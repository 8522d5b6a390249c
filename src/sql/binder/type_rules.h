// ksqlDB's typing rules: implicit numeric widening INT -> BIGINT -> DECIMAL -> DOUBLE, and the precision and
// scale of DECIMAL arithmetic results (as Java's BigDecimal rules in ksqlDB's DecimalUtil).
#pragma once

#include <optional>

#include "sql/types.h"

namespace pipeline::sql {

// The common numeric type of two operands; nullopt if either is not numeric.
std::optional<SqlType> WidenNumeric(const SqlType& a, const SqlType& b);
// INT -> DECIMAL(10, 0), BIGINT -> DECIMAL(19, 0), DECIMAL unchanged.
SqlType AsDecimalType(const SqlType& t);
// Result type of a op b for decimals (op: + - * / %).
SqlType DecimalResultType(char op, const SqlType& a, const SqlType& b);
// Whether a value of type `from` may be used where `to` is expected without a cast.
bool ImplicitlyConvertible(const SqlType& from, const SqlType& to);
// Whether values of these types may be compared with = < etc.
bool Comparable(const SqlType& a, const SqlType& b);
// The common type of CASE branches / IN items / array elements (null-typed items fit anything).
std::optional<SqlType> CommonType(const SqlType& a, const SqlType& b);

}  // namespace pipeline::sql
