// Building the stage graph from a validated PipelineConfig: components from the registry, streams, queues.
#include <algorithm>
#include <cctype>
#include <filesystem>

#include <re2/re2.h>

#include "core/suggest.h"
#include "observability/metrics.h"
#include "observability/tap.h"
#include "plugin/registry.h"
#include "runtime/component_build.h"
#include "runtime/pipeline.h"
#include "runtime/pipeline_rewrites.h"
#include "runtime/smt_stage.h"

namespace pipeline {

namespace {

// What a stage that failed to build would have produced: its own name (an SMT stage), and the streams and tables
// its SQL creates, found by their CREATE statements (the SQL may not parse, which is why it failed).
std::vector<std::string> StreamsNamedIn(const config::ComponentConfig& c) {
  std::vector<std::string> names{c.name};
  const YAML::Node sql = c.node["sql"];
  if (!sql || !sql.IsScalar()) return names;
  static const re2::RE2 kCreate(
      R"((?i)create\s+(?:or\s+replace\s+)?(?:source\s+)?(?:stream|table)\s+(?:if\s+not\s+exists\s+)?[`"]?(\w+))");
  const std::string text = sql.Scalar();
  re2::StringPiece rest(text);
  std::string name;
  while (re2::RE2::FindAndConsume(&rest, kCreate, &name)) {
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    names.push_back(name);
  }
  return names;
}

// A node id mermaid accepts: letters, digits and '_' (a component's name may hold '-', '.', '$').
std::string MermaidId(const std::string& name) {
  std::string id;
  for (unsigned char ch : name) id += std::isalnum(ch) || ch == '_' ? std::string(1, char(ch)) : "_" + std::to_string(ch) + "_";
  return id;
}

// Text in double quotes, where mermaid reads brackets literally; a quote inside is its entity.
std::string MermaidText(const std::string& text) {
  std::string out = "\"";
  for (char ch : text) out += ch == '"' ? std::string("#quot;") : std::string(1, ch);
  return out + "\"";
}

BuildContext ContextFor(const config::ComponentConfig& c, const config::PipelineConfig& pipeline) {
  return BuildContext{c.name, pipeline.dir, c.inputs};
}

// Prefixes a component's build error with where it is declared, unless it already names a position.
std::string Located(const config::ComponentConfig& c, const Error& e) {
  const std::string& m = e.message();
  if (m.rfind(c.location.file + ":", 0) == 0) return m;
  return c.location.ToString() + ": " + c.name + ": " + m;
}

}  // namespace

Result<std::unique_ptr<TransformChain>> BuildTransformChain(const config::ComponentConfig& c,
                                                            const std::vector<config::TransformConfig>& transforms,
                                                            const config::PipelineConfig& pipeline) {
  std::vector<std::unique_ptr<RecordTransform>> built;
  const Registry& registry = BuiltinRegistry();
  for (const auto& t : transforms) {
    const TransformFactory* factory = registry.FindTransform(t.type);
    if (!factory) return ConfigError(t.location.ToString() + ": unknown transform type '" + t.type + "'");
    auto made = (*factory)(Options(t.spec, t.node, pipeline.file), ContextFor(c, pipeline));
    if (!made.ok()) return ConfigError(Located(c, made.error()));
    built.push_back(std::move(*made));
  }
  std::string dlq = c.dead_letter_path;
  if (!dlq.empty() && DeadLetterScheme(dlq).empty() && std::filesystem::path(dlq).is_relative())
    dlq = (std::filesystem::path(pipeline.dir) / dlq).string();
  std::shared_ptr<DeadLetterQueue> dead_letters;
  if (c.on_error == config::OnError::kDeadLetter) {
    auto opened = OpenDeadLetterQueue(dlq);
    if (!opened.ok()) return ConfigError(c.location.ToString() + ": " + c.name + ": " + opened.error().message());
    dead_letters = std::move(*opened);
  }
  return std::make_unique<TransformChain>(c.name, std::move(built), c.on_error, std::move(dead_letters));
}


Result<std::unique_ptr<Processor>> BuildStageProcessor(const config::ComponentConfig& c,
                                                       const config::PipelineConfig& pipeline) {
  if (const ProcessorFactory* f = BuiltinRegistry().FindStage(c.type)) {
    auto made = (*f)(Options(c.spec, c.node, pipeline.file), ContextFor(c, pipeline));
    if (!made.ok()) return ConfigError(Located(c, made.error()));
    return std::move(*made);
  }
  config::TransformConfig t{c.type, c.spec, c.node, c.location};
  auto chain = BuildTransformChain(c, {t}, pipeline);
  if (!chain.ok()) return chain.error();
  return std::unique_ptr<Processor>(std::make_unique<SmtStage>(c.name, c.inputs, std::move(*chain)));
}

void CheckRefusedPipeline(const config::PipelineConfig& partial, config::Diagnostics& diags) {
  const bool has_sql = std::any_of(partial.stages.begin(), partial.stages.end(),
                                   [](const config::ComponentConfig& c) { return c.type == "sql"; });
  if (!has_sql) return;  // the loader checked the stream references itself
  std::vector<std::string> known;
  for (const auto& c : partial.sources) known.push_back(c.name);
  for (const auto& c : partial.stages) {
    if (c.type != "sql" || !c.spec) {
      known.push_back(c.name);
      continue;
    }
    auto made = BuildStageProcessor(c, partial);
    if (made.ok()) {
      for (const auto& out : (*made)->outputs()) known.push_back(out);
      continue;
    }
    diags.errors.push_back(made.error().message());
    for (const std::string& name : StreamsNamedIn(c)) known.push_back(name);
  }
  auto check = [&](const config::ComponentConfig& c) {
    for (size_t i = 0; i < c.inputs.size() && i < c.input_locations.size(); ++i)
      if (std::find(known.begin(), known.end(), c.inputs[i]) == known.end())
        diags.Add(c.input_locations[i], c.name + ": reads the stream '" + c.inputs[i] +
                                            "', which no source or transform produces" +
                                            DidYouMean(c.inputs[i], known));
  };
  for (const auto& c : partial.stages) check(c);
  for (const auto& c : partial.sinks) check(c);
}

namespace {
std::vector<PipelineRewrite>& InstalledRewrites() {
  static std::vector<PipelineRewrite> rewrites;
  return rewrites;
}
}  // namespace

void SetBuiltinPipelineRewrites(std::vector<PipelineRewrite> rewrites) { InstalledRewrites() = std::move(rewrites); }
const std::vector<PipelineRewrite>& BuiltinPipelineRewrites() { return InstalledRewrites(); }

Pipeline::~Pipeline() { Stop(); }

Result<std::unique_ptr<Pipeline>> Pipeline::Build(const config::PipelineConfig& config, const RuntimeOptions& options,
                                                   config::Diagnostics& diags) {
  std::unique_ptr<Pipeline> p(new Pipeline());
  p->config_ = config;
  p->options_ = options;
  for (PipelineRewrite rewrite : BuiltinPipelineRewrites()) rewrite(p->config_, diags);
  if (!diags.empty()) return ConfigError(diags.Joined());
  Status s = p->BuildNodes(options, diags);
  if (!s.ok() || !diags.empty()) return ConfigError(diags.Joined());
  return p;
}

Status Pipeline::BuildNodes(const RuntimeOptions& options, config::Diagnostics& diags) {
  const Registry& registry = BuiltinRegistry();
  const config::PipelineConfig& cfg = config_;
  (void)options;

  for (const auto& c : cfg.sources) {
    auto node = std::make_unique<SourceNode>();
    node->config = &c;
    auto made = (*registry.FindSource(c.type))(Options(c.spec, c.node, cfg.file), ContextFor(c, cfg));
    if (!made.ok()) {
      diags.errors.push_back(Located(c, made.error()));
      unbuilt_streams_.insert(c.name);
      continue;
    }
    node->source = std::move(*made);
    auto chain = BuildTransformChain(c, c.transforms, cfg);
    if (!chain.ok()) {
      diags.errors.push_back(chain.error().message());
      unbuilt_streams_.insert(c.name);
      continue;
    }
    node->chain = std::move(*chain);
    node->tracker = std::make_shared<AckTracker>();
    Stream& s = streams_[c.name];
    s.name = c.name;
    s.producer = c.name;
    node->out = &s;
    sources_.push_back(std::move(node));
  }

  for (const auto& c : cfg.stages) {
    auto node = std::make_unique<StageNode>();
    node->config = &c;
    auto made = BuildStageProcessor(c, cfg);
    if (!made.ok()) {
      diags.errors.push_back(made.error().message());
      for (const std::string& name : StreamsNamedIn(c)) unbuilt_streams_.insert(name);
      continue;
    }
    node->processor = std::move(*made);
    node->inputs = c.inputs.empty() ? node->processor->inputs() : c.inputs;
    for (const auto& out : node->processor->outputs()) {
      if (streams_.count(out)) {
        diags.Add(c.location, c.name + ": the stream '" + out + "' is produced twice (also by '" + streams_[out].producer + "')");
        continue;
      }
      Stream& s = streams_[out];
      s.name = out;
      s.producer = c.name;
      node->outs.push_back(&s);
    }
    stages_.push_back(std::move(node));
  }

  for (const auto& c : cfg.sinks) {
    auto node = std::make_unique<SinkNode>();
    node->config = &c;
    auto made = (*registry.FindSink(c.type))(Options(c.spec, c.node, cfg.file), ContextFor(c, cfg));
    if (!made.ok()) {
      diags.errors.push_back(Located(c, made.error()));
      continue;
    }
    node->sink = std::move(*made);
    auto chain = BuildTransformChain(c, c.transforms, cfg);
    if (!chain.ok()) {
      diags.errors.push_back(chain.error().message());
      continue;
    }
    node->chain = std::move(*chain);
    sinks_.push_back(std::move(node));
  }

  // Edges: every stage and sink gets one queue fed by the streams it reads.
  for (auto& st : stages_) {
    st->queue = std::make_unique<BatchQueue>(cfg.queue_capacity);
    std::vector<Location> locs = st->config->input_locations;
    locs.resize(st->inputs.size(), st->config->location);
    Connect(st->config->name, st->inputs, locs, st->queue.get(), st->producers, diags);
  }
  for (auto& sk : sinks_) {
    sk->queue = std::make_unique<BatchQueue>(cfg.queue_capacity);
    Connect(sk->config->name, sk->config->inputs, sk->config->input_locations, sk->queue.get(), sk->producers, diags);
  }
  if (!diags.empty()) return ConfigError(diags.Joined());
  if (options_.taps)
    for (auto& [name, stream] : streams_) stream.tap = options_.taps->Point(name);
  PushDownDemands();
  TellUnreadOutputs();
  InitMetrics();
  return {};
}

FieldDemand Pipeline::StreamDemand(const std::string& stream, std::vector<std::string>& visiting) const {
  if (std::find(visiting.begin(), visiting.end(), stream) != visiting.end()) return FieldDemand::All();  // a cycle
  visiting.push_back(stream);
  FieldDemand demand = FieldDemand::None();
  for (const auto& st : stages_) {
    for (size_t i = 0; i < st->inputs.size(); ++i) {
      if (st->inputs[i] != stream) continue;
      std::vector<FieldDemand> outputs;
      for (const Stream* out : st->outs) outputs.push_back(StreamDemand(out->name, visiting));
      demand.Merge(st->processor->InputDemand(i, outputs));
    }
  }
  for (const auto& sk : sinks_) {
    for (const auto& in : sk->config->inputs)
      if (in == stream) demand.Merge(sk->chain->Demand(sk->sink->Demand()));
  }
  visiting.pop_back();
  return demand;
}

// Sources decode only the value fields some consumer reads.
void Pipeline::PushDownDemands() {
  for (auto& s : sources_) {
    std::vector<std::string> visiting;
    s->context.value_demand = s->chain->Demand(StreamDemand(s->out->name, visiting));
  }
}

void Pipeline::TellUnreadOutputs() {
  for (auto& st : stages_) {
    std::vector<bool> unread;
    for (const Stream* out : st->outs) unread.push_back(out->consumers.empty());
    st->processor->SetUnreadOutputs(unread);
  }
}

void Pipeline::Connect(const std::string& consumer, const std::vector<std::string>& inputs,
                       const std::vector<Location>& locations, BatchQueue* queue, size_t& producers,
                       config::Diagnostics& diags) {
  std::vector<std::string> known;
  for (const auto& [name, _] : streams_) known.push_back(name);
  known.insert(known.end(), unbuilt_streams_.begin(), unbuilt_streams_.end());
  for (size_t i = 0; i < inputs.size(); ++i) {
    auto it = streams_.find(inputs[i]);
    Location at = i < locations.size() ? locations[i] : Location{config_.file, 0, 0};
    if (it == streams_.end() && unbuilt_streams_.count(inputs[i])) continue;  // its producer's error says why
    if (it == streams_.end()) {
      diags.Add(at, consumer + ": reads the stream '" + inputs[i] + "', which no source or transform produces" +
                        DidYouMean(inputs[i], known));
      continue;
    }
    it->second.consumers.push_back(Edge{queue, i});
    ++producers;
  }
}

void Pipeline::InitMetrics() {
  MetricsRegistry* m = options_.metrics;
  if (!m) return;
  auto init = [m](StageMetrics& sm, const std::string& kind, const std::string& name) {
    Labels l = {{"component_kind", kind}, {"component", name}};
    sm.in = m->GetCounter("pipe_records_in_total", l, "Records received by a component");
    sm.out = m->GetCounter("pipe_records_out_total", l, "Records emitted or written by a component");
    sm.failed = m->GetCounter("pipe_records_failed_total", l, "Records that failed (parse, transform or write errors)");
    sm.queue_depth = m->GetGauge("pipe_queue_depth_batches", l, "Batches waiting in the component's input queue");
  };
  for (auto& s : sources_) {
    init(s->metrics, "source", s->config->name);
    s->chain->SetFailedCounter(s->metrics.failed);
    s->checkpoint_age = m->GetGauge("pipe_checkpoint_age_seconds", {{"component", s->config->name}},
                                    "Seconds since the source last committed its position");
  }
  for (auto& s : stages_) init(s->metrics, "transform", s->config->name);
  for (auto& s : sinks_) {
    init(s->metrics, "sink", s->config->name);
    s->chain->SetFailedCounter(s->metrics.failed);
  }
}

bool Pipeline::finite() const {
  for (const auto& c : config_.sources)
    if (!c.spec || !c.spec->ends_by_itself || !c.spec->ends_by_itself(Options(c.spec, c.node, config_.file))) return false;
  return true;
}

std::string Pipeline::Explain(const std::string& format) const {
  auto transforms = [](const std::vector<config::TransformConfig>& ts) {
    std::string out;
    for (const auto& t : ts) out += (out.empty() ? "" : ", ") + t.type;
    return out;
  };
  std::string out;
  if (format == "dot") {
    out = "digraph pipeline {\n  rankdir=LR;\n";
    for (const auto& s : sources_)
      out += "  \"" + s->config->name + "\" [shape=box, label=\"" + s->config->name + "\\n(" + s->config->type + ")\"];\n";
    for (const auto& s : stages_) {
      out += "  \"" + s->config->name + "\" [shape=ellipse, label=\"" + s->config->name + "\\n(" + s->config->type + ")\"];\n";
      for (const auto& in : s->inputs) out += "  \"" + streams_.at(in).producer + "\" -> \"" + s->config->name + "\" [label=\"" + in + "\"];\n";
    }
    for (const auto& s : sinks_) {
      out += "  \"sink:" + s->config->name + "\" [shape=box, style=rounded, label=\"" + s->config->name + "\\n(" + s->config->type + ")\"];\n";
      for (const auto& in : s->config->inputs) out += "  \"" + streams_.at(in).producer + "\" -> \"sink:" + s->config->name + "\" [label=\"" + in + "\"];\n";
    }
    return out + "}\n";
  }
  if (format == "mermaid") {
    out = "flowchart LR\n";
    // Labels are quoted: mermaid's parser takes a bare "(" inside a shape for the start of another shape.
    auto id = [](const std::string& kind, const std::string& n) { return kind + "_" + MermaidId(n); };
    auto label = [](const config::ComponentConfig& c) { return MermaidText(c.name + " (" + c.type + ")"); };
    for (const auto& s : sources_) out += "  " + id("src", s->config->name) + "[" + label(*s->config) + "]\n";
    for (const auto& s : stages_) out += "  " + id("tr", s->config->name) + "([" + label(*s->config) + "])\n";
    auto producer_id = [&](const std::string& stream) {
      const std::string& p = streams_.at(stream).producer;
      for (const auto& s : sources_) if (s->config->name == p) return id("src", p);
      return id("tr", p);
    };
    for (const auto& s : stages_)
      for (const auto& in : s->inputs)
        out += "  " + producer_id(in) + " -->|" + MermaidText(in) + "| " + id("tr", s->config->name) + "\n";
    for (const auto& s : sinks_) {
      out += "  " + id("sink", s->config->name) + "[(" + label(*s->config) + ")]\n";
      for (const auto& in : s->config->inputs)
        out += "  " + producer_id(in) + " -->|" + MermaidText(in) + "| " + id("sink", s->config->name) + "\n";
    }
    return out;
  }
  out = "pipeline " + config_.file + (finite() ? " (finite: ends when its sources end)" : " (runs until stopped)") + "\n";
  for (const auto& s : sources_) {
    out += "  source " + s->config->name + " (" + s->config->type + ")";
    if (!s->config->transforms.empty()) out += " → [" + transforms(s->config->transforms) + "]";
    out += " → stream " + s->config->name;
    const FieldDemand& demand = s->context.value_demand;
    if (!demand.all() && demand.raw_format().empty()) {
      out += " (decodes only the fields " + demand.ToString() + ")";
    } else if (!demand.all()) {
      out += " (if its format is " + demand.raw_format() + ": decodes only the fields " + demand.ToString() +
             " and passes records on as read)";
    }
    out += "\n";
  }
  for (const auto& s : stages_) {
    out += "  transform " + s->config->name + " (" + s->config->type + ") reads ";
    for (size_t i = 0; i < s->inputs.size(); ++i) out += (i ? ", " : "") + s->inputs[i];
    out += " → stream" + std::string(s->outs.size() > 1 ? "s " : " ");
    for (size_t i = 0; i < s->outs.size(); ++i) out += (i ? ", " : "") + s->outs[i]->name;
    out += "\n";
  }
  for (const auto& s : sinks_) {
    out += "  sink " + s->config->name + " (" + s->config->type + ") reads ";
    for (size_t i = 0; i < s->config->inputs.size(); ++i) out += (i ? ", " : "") + s->config->inputs[i];
    if (!s->config->transforms.empty()) out += " → [" + transforms(s->config->transforms) + "]";
    out += "\n";
  }
  return out;
}

}  // namespace pipeline
