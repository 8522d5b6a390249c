// KeyFields: a record key made from fields of its value (`key_fields: [id]` on the file, stdin and generator
// sources), as Kafka Connect's ValueToKey + ExtractField$Key does in two steps: one field gives its value as a
// scalar key, several a struct of them by name. A field the value lacks gives null (in the struct: that field).
#pragma once

#include <string>
#include <vector>

#include "core/record.h"

namespace pipeline {

class KeyFields {
 public:
  KeyFields() = default;
  explicit KeyFields(std::vector<std::string> fields);
  bool empty() const { return fields_.empty(); }
  void Apply(Record& record) const;
  void Apply(Batch& batch, size_t from) const;  // to the records from index `from` on

 private:
  std::vector<std::string> fields_;
  FieldNamesPtr names_;  // of the struct key, shared by every record's key
};

}  // namespace pipeline
