// `dead_letter`: reads dead-letter envelopes (formats/dead_letter_envelope.h) back as the records they hold, so a
// `file` source can replay a dead-letter file once the cause of the failures is fixed.
#include "formats/dead_letter_envelope.h"
#include "formats/formats_internal.h"
#include "formats/json.h"

namespace pipeline {

namespace {

class DeadLetterDecoder : public Decoder {
 public:
  Status Decode(std::string_view bytes, Record& record) override {
    if (!bytes.empty() && bytes.back() == '\r') bytes.remove_suffix(1);
    Result<Value> envelope = reader_.Parse(bytes);
    if (!envelope.ok()) return envelope.error();
    return RecordFromDeadLetterEnvelope(*envelope, record);
  }
  bool CarriesRecordMetadata() const override { return true; }

 private:
  JsonReader reader_;
};

}  // namespace

std::unique_ptr<Decoder> MakeDeadLetterDecoder() { return std::make_unique<DeadLetterDecoder>(); }

}  // namespace pipeline
