// RegisterElasticsearchSink: the `elasticsearch` sink (README.md).
#include "connectors/connectors.h"
#include "connectors/elasticsearch/elasticsearch_settings.h"
#include "connectors/elasticsearch/elasticsearch_sink.h"
#include "plugin/registry.h"

namespace pipeline {

void RegisterElasticsearchSink(Registry& registry) {
  registry.AddSink(elasticsearch::ElasticsearchSinkSpec(),
                   [](const Options& options, const BuildContext& ctx) -> Result<std::unique_ptr<Sink>> {
                     auto settings = elasticsearch::ParseElasticsearchSettings(options, ctx.name, ctx.pipeline_dir);
                     if (!settings.ok()) return settings.error();
                     return std::unique_ptr<Sink>(new elasticsearch::ElasticsearchSink(std::move(*settings)));
                   });
}

}  // namespace pipeline
