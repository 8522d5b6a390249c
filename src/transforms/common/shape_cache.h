// ShapeCache: per-shape plans for transforms that rebuild structs. Records of one shape share one FieldNames
// object, so a plan computed once for that pointer (output names, index mapping) serves every later record of
// the shape, and records of one output shape share their output FieldNames too. A few entries cover streams
// that alternate between shapes. Each entry holds its input names so that the pointer cannot be freed and
// reused for a different shape while it is cached.
#pragma once

#include <array>
#include <cstddef>
#include <utility>

#include "core/value.h"

namespace pipeline {

template <class Plan, size_t kEntries = 4>
class ShapeCache {
 public:
  // The plan for `names`, built by `build(const FieldNames&)` on the first record of the shape.
  template <class Build>
  const Plan& Get(const FieldNamesPtr& names, Build&& build) {
    const FieldNames* key = names.get();
    if (entries_[last_].filled && entries_[last_].names.get() == key) return entries_[last_].plan;
    for (size_t i = 0; i < kEntries; ++i) {
      if (entries_[i].filled && entries_[i].names.get() == key) {
        last_ = i;
        return entries_[i].plan;
      }
    }
    static const FieldNames kNoFields;
    Entry& e = entries_[next_];
    e.plan = build(key ? *key : kNoFields);
    e.names = names;
    e.filled = true;
    last_ = next_;
    next_ = (next_ + 1) % kEntries;
    return e.plan;
  }

 private:
  struct Entry {
    FieldNamesPtr names;
    Plan plan{};
    bool filled = false;
  };
  std::array<Entry, kEntries> entries_{};
  size_t last_ = 0;
  size_t next_ = 0;
};

inline FieldNamesPtr MakeFieldNames(std::vector<std::string> names) {
  return std::make_shared<const FieldNames>(FieldNames{std::move(names)});
}

}  // namespace pipeline
