#include "connectors/kafka/raw_payload_block.h"

#include <algorithm>
#include <cstring>

namespace pipeline::kafka {

std::string_view RawPayloadBlock::Copy(const void* data, size_t size) {
  if (buffers_.empty() || capacity_ - used_ < size) {
    capacity_ = std::max(kBufferBytes, size);
    buffers_.push_back(std::make_unique_for_overwrite<char[]>(capacity_ + kReadableAfter));
    used_ = 0;
  }
  char* at = buffers_.back().get() + used_;
  if (size > 0) std::memcpy(at, data, size);
  used_ += size;
  return {at, size};
}

std::shared_ptr<const RawValue> RawPayloadBlock::Add(const std::shared_ptr<RawPayloadBlock>& block,
                                                     std::string_view bytes, const Value& decoded) {
  std::vector<RawValue>& values = block->values_;
  if (values.size() == values.capacity()) return MakeRawValue("json", bytes, decoded);
  values.push_back(RawValue{"json", bytes, decoded});
  return std::shared_ptr<const RawValue>(block, &values.back());
}

}  // namespace pipeline::kafka
