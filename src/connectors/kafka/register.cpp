// RegisterKafkaConnectors: the `kafka` source and sink (see README.md), and the kafka:// dead-letter target.
#include "connectors/connectors.h"
#include "connectors/kafka/kafka_dead_letter_queue.h"
#include "connectors/kafka/kafka_sink.h"
#include "connectors/kafka/kafka_source.h"
#include "connectors/kafka/kafka_spec.h"
#include "connectors/kafka/transactional_sink.h"
#include "plugin/registry.h"

namespace pipeline {

void RegisterKafkaConnectors(Registry& registry) {
  registry.AddSource(kafka::KafkaSourceSpec(),
                     [](const Options& options, const BuildContext& ctx) -> Result<std::unique_ptr<Source>> {
                       auto settings = kafka::ParseKafkaSourceSettings(options, ctx.name);
                       if (!settings.ok()) return settings.error();
                       return std::unique_ptr<Source>(new kafka::KafkaSource(std::move(*settings)));
                     });
  registry.AddSink(kafka::KafkaSinkSpec(),
                   [](const Options& options, const BuildContext& ctx) -> Result<std::unique_ptr<Sink>> {
                     auto settings = kafka::ParseKafkaSinkSettings(options, ctx.name, ctx.inputs);
                     if (!settings.ok()) return settings.error();
                     if (settings->exactly_once)
                       return std::unique_ptr<Sink>(new kafka::TransactionalKafkaSink(std::move(*settings)));
                     return std::unique_ptr<Sink>(new kafka::KafkaSink(std::move(*settings)));
                   });
  RegisterDeadLetterTarget("kafka", kafka::OpenKafkaDeadLetterQueue);
}

}  // namespace pipeline
