#include "formats/key_fields.h"

namespace pipeline {

KeyFields::KeyFields(std::vector<std::string> fields) : fields_(std::move(fields)) {
  auto names = std::make_shared<FieldNames>();
  names->names = fields_;
  names_ = std::move(names);
}

void KeyFields::Apply(Record& record) const {
  if (fields_.empty()) return;
  auto field = [&](const std::string& name) {
    const Value* v = record.value.is_struct() ? record.value.as_struct().Find(name) : nullptr;
    return v ? *v : Value();
  };
  if (fields_.size() == 1) {
    record.key = field(fields_[0]);
    return;
  }
  Struct key;
  key.names = names_;
  key.values.reserve(fields_.size());
  for (const std::string& name : fields_) key.values.push_back(field(name));
  record.key = Value(std::move(key));
}

void KeyFields::Apply(Batch& batch, size_t from) const {
  if (fields_.empty()) return;
  for (size_t i = from; i < batch.records.size(); ++i) Apply(batch.records[i]);
}

}  // namespace pipeline
