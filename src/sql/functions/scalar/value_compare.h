// Natural order of primitive values, as ksqlDB's Comparable Java types order them (numbers by value,
// strings by code unit, booleans false < true, bytes as signed bytes like ByteBuffer, temporal by instant).
#pragma once

#include "core/value.h"

namespace pipeline::sql::scalar {

// <0, 0, >0. NULL sorts before everything; values of unrelated kinds order by kind (a stable fallback).
int CompareValues(const Value& a, const Value& b);

struct ValueLess {
  bool operator()(const Value& a, const Value& b) const { return CompareValues(a, b) < 0; }
};

}  // namespace pipeline::sql::scalar
