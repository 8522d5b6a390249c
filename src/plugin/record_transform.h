// RecordTransform: a single-message transform (Kafka Connect SMT semantics). Attached to any source or sink
// (`transforms:` list) or used as a stage of its own. Implementations: src/transforms/, one per file.
#pragma once

#include "core/field_demand.h"
#include "core/record.h"
#include "core/result.h"

namespace pipeline {

class RecordTransform {
 public:
  virtual ~RecordTransform() = default;
  // Transforms the record in place. Returns false when the record is dropped (Filter); a DataError follows
  // the stage's on_error policy.
  virtual Result<bool> Apply(Record& record) = 0;
  // The fields of its input value this transform reads, given what is read of its output (see FieldDemand).
  virtual FieldDemand Demand(const FieldDemand& downstream) const { (void)downstream; return FieldDemand::All(); }
};

}  // namespace pipeline
