#include "testing/pipeline_scenario.h"

#include <algorithm>
#include <deque>
#include <memory>
#include <set>

#include "core/json_text.h"
#include "core/suggest.h"
#include "formats/json.h"
#include "runtime/component_build.h"
#include "testing/record_comparison.h"

namespace pipeline::testing {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

struct StageNode {
  std::unique_ptr<Processor> processor;
  std::vector<std::string> inputs;   // lower-case stream names
  std::vector<std::string> outputs;  // lower-case stream names
};

struct SinkNode {
  std::string name;
  std::vector<std::string> inputs;  // lower-case stream names
  std::unique_ptr<TransformChain> chain;
};

// The pipeline's components, built as `pipe run` builds them, minus the connectors themselves.
struct Graph {
  config::PipelineConfig config;
  std::map<std::string, std::unique_ptr<TransformChain>> sources;  // by lower-case name
  std::vector<StageNode> stages;
  std::vector<SinkNode> sinks;
  std::set<std::string> streams;  // every stream a component produces or reads, lower-case
};

// A test writes no dead-letter file next to the pipeline: a record that policy would keep is dropped instead.
config::PipelineConfig ForTesting(const config::PipelineConfig& original, const std::map<std::string, std::string>& properties) {
  config::PipelineConfig copy = original;
  auto no_dead_letters = [](config::ComponentConfig& c) {
    if (c.on_error == config::OnError::kDeadLetter) c.on_error = config::OnError::kSkip;
  };
  for (auto& c : copy.sources) no_dead_letters(c);
  for (auto& c : copy.sinks) no_dead_letters(c);
  for (auto& c : copy.stages) {
    no_dead_letters(c);
    if (c.type != "sql" || properties.empty()) continue;
    c.node = YAML::Clone(c.node);
    for (const auto& [key, value] : properties) c.node["properties"][key] = value;
  }
  return copy;
}

Status BuildGraph(const PipelineScenario& scenario, Graph& g) {
  g.config = ForTesting(*scenario.pipeline, scenario.properties);
  for (const auto& c : g.config.sources) {
    auto chain = BuildTransformChain(c, c.transforms, g.config);
    if (!chain.ok()) return chain.error();
    g.sources[Lower(c.name)] = std::move(*chain);
    g.streams.insert(Lower(c.name));
  }
  for (const auto& c : g.config.stages) {
    auto made = BuildStageProcessor(c, g.config);
    if (!made.ok()) return made.error();
    StageNode node{std::move(*made), {}, {}};
    PIPE_RETURN_IF_ERROR(node.processor->Open("", nullptr));
    for (const auto& in : c.inputs.empty() ? node.processor->inputs() : c.inputs) node.inputs.push_back(Lower(in));
    for (const auto& out : node.processor->outputs()) node.outputs.push_back(Lower(out));
    g.streams.insert(node.inputs.begin(), node.inputs.end());
    g.streams.insert(node.outputs.begin(), node.outputs.end());
    g.stages.push_back(std::move(node));
  }
  for (const auto& c : g.config.sinks) {
    auto chain = BuildTransformChain(c, c.transforms, g.config);
    if (!chain.ok()) return chain.error();
    SinkNode sink{c.name, {}, std::move(*chain)};
    for (const auto& in : c.inputs) sink.inputs.push_back(Lower(in));
    g.streams.insert(sink.inputs.begin(), sink.inputs.end());
    g.sinks.push_back(std::move(sink));
  }
  return {};
}

// The value fields read of `stream` downstream, folded as `pipe run` folds them (Pipeline::StreamDemand), a sink
// reading every field: the test collects whole records there.
FieldDemand StreamDemand(const Graph& g, const std::string& stream, std::vector<std::string>& visiting) {
  if (std::find(visiting.begin(), visiting.end(), stream) != visiting.end()) return FieldDemand::All();  // a cycle
  visiting.push_back(stream);
  FieldDemand demand = FieldDemand::None();
  for (const auto& stage : g.stages)
    for (size_t i = 0; i < stage.inputs.size(); ++i) {
      if (stage.inputs[i] != stream) continue;
      std::vector<FieldDemand> outputs;
      for (const std::string& out : stage.outputs) outputs.push_back(StreamDemand(g, out, visiting));
      demand.Merge(stage.processor->InputDemand(i, outputs));
    }
  for (const auto& sink : g.sinks)
    for (const auto& in : sink.inputs)
      if (in == stream) demand.Merge(sink.chain->Demand(FieldDemand::All()));
  visiting.pop_back();
  return demand;
}

// What a JSON source would decode of each source's values, by lower-case source name.
std::map<std::string, FieldDemand> SourceDemands(const Graph& g) {
  std::map<std::string, FieldDemand> demands;
  for (const auto& [name, chain] : g.sources) {
    std::vector<std::string> visiting;
    demands.emplace(name, chain->Demand(StreamDemand(g, name, visiting)).ForSource("json"));
  }
  return demands;
}

// The batch's object values as a JSON source would hand them on: written as JSON text and read back by `reader`.
Status DecodeAsJson(JsonReader& reader, Batch& batch) {
  for (Record& r : batch.records) {
    if (!r.value.is_struct()) continue;
    Result<Value> decoded = reader.Parse(ToJson(r.value));
    if (!decoded.ok()) return decoded.error();
    r.value = std::move(*decoded);
  }
  return {};
}

std::vector<std::string> Names(const std::set<std::string>& streams, const std::vector<SinkNode>& sinks) {
  std::vector<std::string> names(streams.begin(), streams.end());
  for (const auto& s : sinks) names.push_back(s.name);
  return names;
}

// Moves batches from stream to stream, breadth first, as the runtime's queues would, and collects what reaches
// the outputs the test names.
class Router {
 public:
  Router(Graph& g, const std::vector<std::string>& outputs, PipelineRun& run) : g_(g), run_(run) {
    for (const auto& o : outputs) named_[Lower(o)] = o;
  }

  Status Publish(const std::string& stream, BatchPtr batch) {
    std::deque<std::pair<std::string, BatchPtr>> pending{{stream, std::move(batch)}};
    while (!pending.empty()) {
      auto [name, b] = std::move(pending.front());
      pending.pop_front();
      if (b->records.empty()) continue;
      Collect(name, /*is_sink=*/false, *b);
      for (auto& stage : g_.stages)
        for (size_t i = 0; i < stage.inputs.size(); ++i)
          if (stage.inputs[i] == name) PIPE_RETURN_IF_ERROR(stage.processor->Process(i, b, Emitter(stage, pending)));
      for (auto& sink : g_.sinks)
        for (const auto& in : sink.inputs)
          if (in == name) PIPE_RETURN_IF_ERROR(Deliver(sink, *b));
    }
    return {};
  }

  // The stages' end of input (flush_at_end) and finish, in file order, so that what one emits reaches later ones.
  Status End(bool end_of_input) {
    for (auto& stage : g_.stages) {
      std::deque<std::pair<std::string, BatchPtr>> pending;
      if (end_of_input) PIPE_RETURN_IF_ERROR(stage.processor->EndOfInput(Emitter(stage, pending)));
      PIPE_RETURN_IF_ERROR(stage.processor->Finish(Emitter(stage, pending)));
      for (auto& [name, b] : pending) PIPE_RETURN_IF_ERROR(Publish(name, b));
    }
    return {};
  }

 private:
  EmitFn Emitter(StageNode& stage, std::deque<std::pair<std::string, BatchPtr>>& pending) {
    return [&stage, &pending](size_t index, BatchPtr batch) {
      if (index < stage.outputs.size()) pending.push_back({stage.outputs[index], std::move(batch)});
    };
  }

  Status Deliver(SinkNode& sink, const Batch& batch) {
    Batch copy = batch;
    PIPE_RETURN_IF_ERROR(sink.chain->Apply(copy));
    Collect(Lower(sink.name), /*is_sink=*/true, copy);
    return {};
  }

  bool IsSink(const std::string& name) const {
    for (const auto& s : g_.sinks)
      if (Lower(s.name) == name) return true;
    return false;
  }

  // A name that is both a sink and a stream is the sink: what leaves the pipeline.
  void Collect(const std::string& name, bool is_sink, const Batch& batch) {
    if (batch.records.empty()) return;
    auto it = named_.find(name);
    if (it == named_.end() || (!is_sink && IsSink(name))) {
      if (it == named_.end()) {
        std::string label = (is_sink ? "sink " : "stream ") + name;
        if (std::find(run_.unchecked.begin(), run_.unchecked.end(), label) == run_.unchecked.end())
          run_.unchecked.push_back(label);
      }
      return;
    }
    for (const Record& r : batch.records) run_.collected.push_back({it->second, r});
  }

  Graph& g_;
  PipelineRun& run_;
  std::map<std::string, std::string> named_;  // lower-case -> as the test spells it
};

}  // namespace

PipelineRun RunPipelineScenario(const PipelineScenario& scenario) {
  PipelineRun run;
  Graph g;
  if (Status built = BuildGraph(scenario, g); !built.ok()) {
    run.setup = built;
    return run;
  }
  const std::vector<std::string> known = Names(g.streams, g.sinks);
  std::set<std::string> known_lower;
  for (const auto& n : known) known_lower.insert(Lower(n));
  for (const auto& o : scenario.outputs)
    if (!known_lower.count(Lower(o))) {
      run.setup = ConfigError("outputs: no sink or stream '" + o + "' in " + scenario.pipeline->file +
                              DidYouMean(o, known));
      return run;
    }
  for (const auto& input : scenario.inputs)
    if (!g.sources.count(Lower(input.topic)) && !g.streams.count(Lower(input.topic))) {
      std::vector<std::string> streams(g.streams.begin(), g.streams.end());
      run.setup = ConfigError("inputs: no source or stream '" + input.topic + "' in " + scenario.pipeline->file +
                              DidYouMean(input.topic, streams));
      return run;
    }

  const std::map<std::string, FieldDemand> demands = SourceDemands(g);
  for (const auto& [name, demand] : demands) run.reads_some_fields = run.reads_some_fields || !demand.all();
  std::map<std::string, JsonReader> json_readers;  // by lower-case source name, for scenario.decoding
  Router router(g, scenario.outputs, run);
  // Inputs without an offset get the next of their stream's partition, as a Kafka topic would give them (ROWOFFSET).
  std::map<std::pair<std::string, int32_t>, int64_t> next_offset;
  const size_t batch_size = std::max<size_t>(scenario.batch_size, 1);
  for (size_t first = 0; first < scenario.inputs.size();) {
    const std::string stream = Lower(scenario.inputs[first].topic);
    auto batch = std::make_shared<Batch>();
    for (; first < scenario.inputs.size() && batch->records.size() < batch_size &&
           Lower(scenario.inputs[first].topic) == stream;
         ++first) {
      Record& record = batch->records.emplace_back(scenario.inputs[first].record);
      int64_t& offset = next_offset[{stream, std::max(record.partition, 0)}];
      if (record.offset < 0) record.offset = offset;
      offset = record.offset + 1;
    }
    if (auto source = g.sources.find(stream); source != g.sources.end()) {
      if (scenario.decoding != InputDecoding::kAsGiven) {
        auto [reader, made] = json_readers.try_emplace(stream);
        if (made && scenario.decoding == InputDecoding::kJsonProjected) reader->second.Project(demands.at(stream));
        if (Status s = DecodeAsJson(reader->second, *batch); !s.ok()) {
          run.errors.push_back("decode " + stream + ": " + s.message());
          return run;
        }
      }
      if (Status s = source->second->Apply(*batch); !s.ok()) {
        run.errors.push_back(s.message());
        return run;
      }
    }
    if (Status s = router.Publish(stream, std::move(batch)); !s.ok()) {
      run.errors.push_back(s.message());
      return run;
    }
  }
  if (Status s = router.End(scenario.flush_at_end); !s.ok()) run.errors.push_back(s.message());
  return run;
}

namespace {

// Each output's records, rendered, in order.
std::map<std::string, std::vector<std::string>> ByOutput(const PipelineRun& run) {
  std::map<std::string, std::vector<std::string>> out;
  for (const sql::Emitted& e : run.collected) out[e.topic].push_back(DescribeActual(e.record));
  return out;
}

// Each output's last record per key and window.
std::map<std::string, std::map<std::string, std::string>> LastPerKey(const PipelineRun& run) {
  std::map<std::string, std::map<std::string, std::string>> out;
  for (const sql::Emitted& e : run.collected) {
    std::string key = e.record.key.ToString();
    if (e.record.window) key += "@" + std::to_string(e.record.window->start) + "," + std::to_string(e.record.window->end);
    out[e.topic][key] = DescribeActual(e.record);
  }
  return out;
}

std::string FirstDifference(const std::map<std::string, std::vector<std::string>>& a,
                            const std::map<std::string, std::vector<std::string>>& b, const std::string& a_name,
                            const std::string& b_name) {
  const std::vector<std::string> none;
  for (const auto& [output, records] : a) {
    auto found = b.find(output);
    const std::vector<std::string>& others = found == b.end() ? none : found->second;
    for (size_t i = 0; i < std::max(records.size(), others.size()); ++i) {
      std::string x = i < records.size() ? records[i] : "nothing";
      std::string y = i < others.size() ? others[i] : "nothing";
      if (x != y)
        return output + " #" + std::to_string(i + 1) + ": " + a_name + " " + x + ", " + b_name + " " + y;
    }
  }
  for (const auto& [output, records] : b)
    if (!a.count(output)) return output + ": only " + b_name + ", " + records.front();
  return {};
}

const char* const kOne = "one at a time";
const char* const kBatched = "in batches of 1024";

std::map<std::string, std::vector<std::string>> Flatten(const std::map<std::string, std::map<std::string, std::string>>& m) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [output, last] : m)
    for (const auto& [key, record] : last) out[output].push_back(record);
  return out;
}

}  // namespace

std::string ProjectedDecodingDifference(const PipelineScenario& scenario, const PipelineRun& as_given) {
  if (!as_given.reads_some_fields || !as_given.setup.ok()) return {};
  PipelineScenario variant = scenario;
  variant.decoding = InputDecoding::kJsonWhole;
  PipelineRun whole = RunPipelineScenario(variant);
  variant.decoding = InputDecoding::kJsonProjected;
  PipelineRun projected = RunPipelineScenario(variant);
  if (std::string d = FirstDifference(ByOutput(whole), ByOutput(projected), "whole", "projected"); !d.empty())
    return "JSON values decoded whole and projected give different outputs: " + d;
  return ErrorsDifference(whole.errors, projected.errors, "whole", "projected");
}

std::string VariantDifference(const PipelineScenario& scenario, const PipelineRun& run) {
  std::string difference = ProjectedDecodingDifference(scenario, run);
  return difference.empty() ? BatchSizeDifference(scenario, run) : difference;
}

std::string BatchSizeDifference(const PipelineScenario& scenario, const PipelineRun& one_at_a_time) {
  if (!one_at_a_time.setup.ok() || !one_at_a_time.errors.empty()) return {};
  PipelineScenario batched = scenario;
  batched.batch_size = 1024;
  PipelineRun run = RunPipelineScenario(batched);
  if (!run.errors.empty()) return "in batches of 1024 the pipeline failed: " + run.errors.front();
  if (std::string d = FirstDifference(Flatten(LastPerKey(one_at_a_time)), Flatten(LastPerKey(run)), kOne, kBatched); !d.empty())
    return "the last record per key differs: " + d;
  PipelineScenario uncached = scenario;
  uncached.properties["ksql.streams.cache.max.bytes.buffering"] = "0";
  PipelineRun single = RunPipelineScenario(uncached);
  uncached.batch_size = 1024;
  PipelineRun in_batches = RunPipelineScenario(uncached);
  if (!single.errors.empty() || !in_batches.errors.empty()) return {};  // the test's own run decides about errors
  if (std::string d = FirstDifference(ByOutput(single), ByOutput(in_batches), kOne, kBatched); !d.empty())
    return "without the record cache the outputs differ: " + d;
  return {};
}

}  // namespace pipeline::testing
