#include "connectors/kafka/record_producer.h"

#include <thread>

namespace pipeline::kafka {

namespace {

std::string Where(const Record& r) {
  if (r.offset < 0) return "record";
  return "record from " + r.topic + "/" + std::to_string(r.partition) + "@" + std::to_string(r.offset);
}

}  // namespace

Result<rd_kafka_topic_t*> RecordProducer::TopicFor(const Record& record) {
  if (fixed_topic_) return fixed_topic_;
  const std::string* name = &settings_.topic;
  if (name->empty()) {
    if (!settings_.topic_field.empty()) {
      const Value* field = record.value.Field(settings_.topic_field);
      if (!field || !field->is_string() || field->as_string().empty())
        return DataError("kafka sink '" + settings_.name + "': " + Where(record) + " has no string field '" +
                         settings_.topic_field + "' (topic_field)");
      name = &field->as_string();
    } else {
      name = &record.topic;
      if (name->empty())
        return DataError("kafka sink '" + settings_.name + "': " + Where(record) +
                         " has no topic: set topic or topic_field");
    }
  }
  auto it = topics_.find(*name);
  if (it == topics_.end()) {
    TopicHandle rkt(rd_kafka_topic_new(producer_, name->c_str(), nullptr));
    if (!rkt) return FatalError("kafka sink '" + settings_.name + "': topic " + *name + ": " +
                                KafkaErrorText(rd_kafka_last_error()));
    it = topics_.emplace(*name, std::move(rkt)).first;
  }
  if (!settings_.topic.empty()) fixed_topic_ = it->second.get();
  return it->second.get();
}

Status RecordProducer::Produce(const Batch& batch, void* opaque, size_t* produced) {
  *produced = 0;
  for (const Record& record : batch.records) {
    auto rkt = TopicFor(record);
    if (!rkt.ok()) return rkt.error();
    PIPE_RETURN_IF_ERROR(ProduceOne(record, *rkt, opaque));
    ++*produced;
  }
  return {};
}

Status RecordProducer::ProduceOne(const Record& record, rd_kafka_topic_t* rkt, void* opaque) {
  key_buffer_.clear();
  value_buffer_.clear();
  bool key_null = true, value_null = true;
  Status s = EncodePayload(settings_.key_format, record.key, key_buffer_, &key_null);
  const std::string_view* raw = settings_.value_format == KafkaFormat::kJson ? record.RawIn("json") : nullptr;
  if (raw) value_null = false;
  else if (s.ok()) s = EncodePayload(settings_.value_format, record.value, value_buffer_, &value_null);
  std::string_view value = raw ? *raw : std::string_view(value_buffer_);
  if (!s.ok()) return DataError("kafka sink '" + settings_.name + "': " + Where(record) + ": " + s.message());

  rd_kafka_headers_t* headers = nullptr;
  if (!record.headers.empty()) {
    headers = rd_kafka_headers_new(record.headers.size());
    for (const Header& h : record.headers) {
      rd_kafka_header_add(headers, h.key.data(), static_cast<ssize_t>(h.key.size()),
                          h.value ? h.value->data() : nullptr, h.value ? static_cast<ssize_t>(h.value->size()) : 0);
    }
  }
  rd_kafka_vu_t vu[8];
  size_t n = 0;
  vu[n].vtype = RD_KAFKA_VTYPE_RKT;
  vu[n++].u.rkt = rkt;
  vu[n].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
  vu[n++].u.i = RD_KAFKA_MSG_F_COPY;
  vu[n].vtype = RD_KAFKA_VTYPE_VALUE;
  vu[n].u.mem.ptr = value_null ? nullptr : const_cast<char*>(value.data());
  vu[n++].u.mem.size = value_null ? 0 : value.size();
  vu[n].vtype = RD_KAFKA_VTYPE_KEY;
  vu[n].u.mem.ptr = key_null ? nullptr : key_buffer_.data();
  vu[n++].u.mem.size = key_null ? 0 : key_buffer_.size();
  vu[n].vtype = RD_KAFKA_VTYPE_OPAQUE;
  vu[n++].u.ptr = opaque;
  if (record.timestamp > 0) {
    vu[n].vtype = RD_KAFKA_VTYPE_TIMESTAMP;
    vu[n++].u.i64 = record.timestamp;
  }
  if (headers) {
    vu[n].vtype = RD_KAFKA_VTYPE_HEADERS;
    vu[n++].u.headers = headers;
  }
  for (;;) {
    KafkaError error(rd_kafka_produceva(producer_, vu, n));
    if (!error) return {};  // librdkafka owns the headers now
    if (rd_kafka_error_code(error.get()) == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      // Backpressure: the local queue drains as deliveries complete (served by the delivery thread).
      rd_kafka_poll(producer_, 10);
      continue;
    }
    if (headers) rd_kafka_headers_destroy(headers);
    return FatalError("kafka sink '" + settings_.name + "': produce to " + rd_kafka_topic_name(rkt) + ": " +
                      rd_kafka_error_string(error.get()));
  }
}

}  // namespace pipeline::kafka
