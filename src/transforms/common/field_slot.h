// FieldSlot: finds one named field in structs (index resolved once per shape, then reused) and in
// string-keyed maps (schemaless records, searched in order).
#pragma once

#include <string>
#include <string_view>

#include "core/value.h"

namespace pipeline {

class FieldSlot {
 public:
  FieldSlot() = default;
  explicit FieldSlot(std::string name) : name_(std::move(name)) {}

  const std::string& name() const { return name_; }

  // Index of the field in `s`, -1 if absent.
  int IndexIn(const Struct& s) {
    if (s.names.get() != names_.get()) {
      names_ = s.names;
      index_ = names_ ? names_->IndexOf(name_) : -1;
    }
    return index_;
  }

  // The field of a struct or string-keyed map; nullptr if absent or `v` is neither.
  const Value* FindIn(const Value& v) {
    if (v.is_struct()) {
      const Struct& s = v.as_struct();
      int i = IndexIn(s);
      return i < 0 ? nullptr : &s.values[static_cast<size_t>(i)];
    }
    if (v.is_map()) return FindInMap(v.as_map(), name_);
    return nullptr;
  }

  static const Value* FindInMap(const Map& m, std::string_view name) {
    for (const auto& [k, val] : m)
      if (k.is_string() && k.as_string() == name) return &val;
    return nullptr;
  }

 private:
  std::string name_;
  FieldNamesPtr names_;  // held so the cached pointer cannot be reused by another shape
  int index_ = -1;
};

}  // namespace pipeline
