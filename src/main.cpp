// pipe: the command line. Each subcommand is a thin call into its module.
#include <CLI/CLI.hpp>

#include <cctype>
#include <iostream>

#include "builtin.h"
#include "cli/build_info.h"
#include "cli/endpoint_client.h"
#include "cli/tap_command.h"
#include "cli/top_command.h"
#include "config/pipeline_config.h"
#include "config/spec_docs.h"
#include "core/files_under.h"
#include "core/suggest.h"
#include "observability/http_server.h"
#include "observability/log.h"
#include "plugin/registry.h"
#include "runtime/component_build.h"
#include "runtime/pipeline.h"
#include "runtime/supervisor.h"
#include "sql/functions/function_docs.h"
#include "testing/commands.h"
#include "transforms/predicates/condition_grammar.h"

#ifdef PIPE_USE_MIMALLOC
// Routes new/delete to mimalloc (and keeps the library linked, so its malloc replaces glibc's): see meson.build.
#include <mimalloc-new-delete.h>
#include <mimalloc.h>

#include <cstdlib>
#endif

namespace {

// `pipe validate` / `pipe explain`: load, check and build without running. Prints every error; exit 2 if any.
int ValidateOrExplain(const std::string& file, const std::vector<std::string>& overrides, const std::string& format,
                      bool explain) {
  pipeline::config::Diagnostics diags;
  pipeline::config::PipelineConfig partial;
  auto cfg = pipeline::config::LoadPipelineFile(file, {overrides, nullptr, &partial}, diags);
  if (!cfg.ok()) pipeline::CheckRefusedPipeline(partial, diags);  // SQL and streams: every mistake in one run
  std::unique_ptr<pipeline::Pipeline> pipeline;
  if (cfg.ok()) {
    pipeline::RuntimeOptions runtime;
    auto built = pipeline::Pipeline::Build(*cfg, runtime, diags);
    if (built.ok()) pipeline = std::move(*built);
  }
  for (const auto& w : diags.warnings) std::cerr << w << "\n";
  if (!pipeline) {
    for (const auto& e : diags.errors) std::cerr << e << "\n";
    std::cerr << diags.errors.size() << (diags.errors.size() == 1 ? " error" : " errors") << " in " << file << "\n";
    return 2;
  }
  if (explain) {
    std::cout << pipeline->Explain(format);
  } else {
    std::cout << file << ": valid (" << pipeline->source_count() << " sources, " << pipeline->stage_count()
              << " transforms, " << pipeline->sink_count() << " sinks)\n";
  }
  return 0;
}

// `pipe validate FILE|DIR…`: every pipeline file, a folder standing for the pipeline files under it (its
// `*.test.yaml` are test files, left out). Each file's errors as ValidateOrExplain prints them, then a count when
// there were several; exit 2 if any file is invalid.
int ValidateFiles(const std::vector<std::string>& paths, const std::vector<std::string>& overrides) {
  const auto files = pipeline::FilesUnder(paths, pipeline::IsPipelineFileName);
  size_t invalid = 0;
  for (const std::string& file : files) invalid += ValidateOrExplain(file, overrides, "text", false) != 0;
  if (files.size() > 1)
    std::cout << files.size() << " files: " << files.size() - invalid << " valid, " << invalid << " invalid\n";
  return invalid ? 2 : 0;
}

// CLI11 ends a bad command line with its own exit codes (105 to 114); the README documents 2 for every misuse,
// which is what scripts and CI check. Help and --version are not errors: CLI11 prints them and they exit 0.
int ParseCommandLine(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);
    std::string message = e.what();
    // `pipe frob` and `pipe --bogus` reach CLI11 as "a subcommand is required": name what was not understood.
    if (app.get_subcommands().empty() && !app.remaining().empty())
      message = "unknown command or option '" + app.remaining().front() + "'";
    for (char& c : message)
      if (c == '\n') c = ' ';  // one line, so that a CI log shows all of it
    std::cerr << "pipe: " << message << " (pipe --help lists the commands, pipe COMMAND --help their options)\n";
    return 2;
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
#ifdef PIPE_USE_MIMALLOC
  // Keep freed memory for a second before giving it back to the OS (mimalloc 2.0's defaults: 100 ms for pages,
  // 500 ms for segments). Kafka clients allocate and free multi-megabyte fetch and decompression buffers many
  // times a second; with the defaults mimalloc returned them (madvise) and the kernel zero-filled them again on the
  // next use: the kafka bench's pipe spent 1.5 of its 4.8 CPU seconds in the kernel, 0.6 with this (2.9 in all).
  // Memory still goes back after a second without use. MIMALLOC_RESET_DELAY / MIMALLOC_SEGMENT_DECOMMIT_DELAY win.
  if (!std::getenv("MIMALLOC_RESET_DELAY") && !std::getenv("MIMALLOC_DECOMMIT_DELAY"))
    mi_option_set(mi_option_decommit_delay, 1000);
  if (!std::getenv("MIMALLOC_SEGMENT_DECOMMIT_DELAY")) mi_option_set(mi_option_segment_decommit_delay, 1000);
  // Transparent huge pages for mimalloc's segments, committed when they are reserved: a Kafka source fills its
  // fetch queue with freshly allocated messages, and page faults at 4 KiB (about 65,000 for the kafka bench's
  // 1,000,000 messages, expensive on a virtual machine) were a quarter of its CPU; at 2 MiB they are about 1,000.
  // The cost is resident memory in 2 MiB steps per allocating thread: idle, the quickstart holds ~19 MB instead of
  // ~13 MB, pipelines/clickstream-kafka.yaml (three Kafka clients, 25 threads) ~53 MB instead of ~18 MB.
  // MIMALLOC_LARGE_OS_PAGES=0 turns it off.
  if (!std::getenv("MIMALLOC_LARGE_OS_PAGES")) mi_option_set(mi_option_large_os_pages, 1);
  if (!std::getenv("MIMALLOC_EAGER_COMMIT_DELAY")) mi_option_set(mi_option_eager_commit_delay, 0);
#endif
  pipeline::InstallBuiltins();  // the components every subcommand finds in the registry (src/builtin.h)
  CLI::App app{"pipe: sources, streaming SQL and single-message transforms, sinks — one binary, one YAML file"};
  app.require_subcommand(1);
  app.set_version_flag("-V,--version", pipeline::cli::VersionLine(), "Print the version and exit");
  app.footer(
      "Exit codes: 0 success (a finite pipeline ended, or a signal stopped it after draining); 1 the pipeline "
      "failed while running; 2 invalid pipeline file or command line.");

  pipeline::RunOptions run;
  std::string log_format = "text";
  auto* run_cmd = app.add_subcommand("run", "Run a pipeline until its sources end or a signal stops it");
  run_cmd->add_option("file", run.file, "Pipeline YAML file")->required();
  run_cmd->add_option("--set", run.overrides, "Override a setting: path=value (e.g. sources.clicks.rate=5)");
  run_cmd->add_option("--state-dir", run.state_dir,
                      "Where checkpoints and state live (default $PIPE_STATE_DIR, else ~/.local/state/pipe/NAME-HASH)");
  run_cmd->add_flag("--reset", run.reset, "Start over: delete the checkpoints and state first");
  run_cmd->add_option("--http", run.http_address, "Serve /healthz, /readyz and /metrics on HOST:PORT");
  run_cmd->add_option("--log-format", log_format, "text or json")->check(CLI::IsMember({"text", "json"}));
  std::string log_level = "info";
  run_cmd->add_option("--log-level", log_level, "debug, info, warn or error: the least severe lines shown")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
  bool no_watch = false;
  run_cmd->add_flag("--no-watch", no_watch, "Do not reload when the file changes");

  pipeline::RunOptions reset;
  auto* reset_cmd = app.add_subcommand("reset", "Delete a pipeline's checkpoints and state: its next run starts over");
  reset_cmd->add_option("file", reset.file, "Pipeline YAML file")->required();
  reset_cmd->add_option("--state-dir", reset.state_dir, "The state dir, when the pipeline runs with --state-dir");

  std::string file, format = "text";
  std::vector<std::string> overrides, validate_paths;
  auto* validate_cmd =
      app.add_subcommand("validate", "Check pipeline files (a folder: those under it); list every error as file:line:col");
  validate_cmd->add_option("files", validate_paths, "Pipeline YAML files or folders")->required();
  validate_cmd->add_option("--set", overrides, "Override a setting: path=value");
  auto* explain_cmd = app.add_subcommand("explain", "Print the stage graph of a pipeline");
  explain_cmd->add_option("file", file, "Pipeline YAML file")->required();
  explain_cmd->add_option("--format", format, "text, dot or mermaid")->check(CLI::IsMember({"text", "dot", "mermaid"}));

  std::vector<std::string> test_files;
  bool verbose = false;
  std::string junit_file;
  auto* test_cmd = app.add_subcommand("test", "Run pipeline unit tests (YAML test files; see README)");
  test_cmd->add_option("files", test_files, "Test files")->required();
  test_cmd->add_flag("-v,--verbose", verbose, "Show every record compared");
  test_cmd->add_option("--junit", junit_file, "Also write the results as JUnit XML to this file (for CI)");

  pipeline::testing::ConformanceOptions conf;
  auto* conf_cmd = app.add_subcommand("conformance", "Run ksqlDB's query-validation test vectors against the engine");
  conf_cmd->add_option("--dir", conf.dir, "Folder of *.jsonl cases (default $CONFORMANCE_DIR or ../shared/conformance/ksql-qtt)");
  conf_cmd->add_option("--known-gaps", conf.known_gaps_file, "Known-gaps file (default tests/conformance/known_gaps.txt)");
  conf_cmd->add_option("--family", conf.family, "Only this family (substring)");
  conf_cmd->add_option("--case", conf.case_filter, "Only cases whose name contains this");
  conf_cmd->add_flag("-v,--verbose", conf.verbose, "Show expected and actual records of failing cases");
  conf_cmd->add_flag("--update-known-gaps", conf.update_known_gaps, "Rewrite the known-gaps file from this run");

  pipeline::cli::TapOptions tap;
  auto* tap_cmd = app.add_subcommand("tap", "Print the records flowing through streams of a running pipeline");
  tap_cmd->add_option("streams", tap.streams, "Streams to watch (sources, transform outputs)")->required();
  tap_cmd->add_option("--http", tap.address,
                      std::string("The running pipeline's --http address (default ") +
                          pipeline::cli::kDefaultHttpAddress + ")");
  tap_cmd->add_option("--sample", tap.sample, "Keep one record in N (10), or a fraction (0.1, 10%)");
  tap_cmd->add_option("--limit", tap.limit, "Exit after this many records")->check(CLI::PositiveNumber);
  tap_cmd->add_option("--format", tap.format, "json (one whole record per line) or pretty")
      ->check(CLI::IsMember({"json", "pretty"}));

  pipeline::cli::TopOptions top;
  auto* top_cmd = app.add_subcommand("top", "A live view of a running pipeline: rates, errors, queues, lag");
  top_cmd->add_option("--http", top.address,
                      std::string("The running pipeline's --http address (default ") +
                          pipeline::cli::kDefaultHttpAddress + ")");

  bool markdown = false;
  auto* functions_cmd = app.add_subcommand("functions", "List the SQL functions with their signatures");
  functions_cmd->add_flag("--markdown", markdown, "Markdown table");
  std::string function_name;
  functions_cmd->add_option("name", function_name, "Show only this function (e.g. pipe functions substring)");

  bool schema = false;
  auto* docs_cmd = app.add_subcommand("docs", "Print the component reference (markdown) or the JSON Schema");
  docs_cmd->add_flag("--schema", schema, "The JSON Schema of the pipeline file");

  app.add_subcommand("version", "Print the version, the commit, the build type and the libraries' versions");

  if (int parsed = ParseCommandLine(app, argc, argv); parsed >= 0) return parsed;

  auto run_command = [&]() -> int {
    if (*run_cmd) {
      pipeline::SetLogFormat(log_format == "json" ? pipeline::LogFormat::kJson : pipeline::LogFormat::kText);
      pipeline::SetLogLevel(log_level == "debug"  ? pipeline::LogLevel::kDebug
                            : log_level == "warn" ? pipeline::LogLevel::kWarn
                            : log_level == "error" ? pipeline::LogLevel::kError
                                                   : pipeline::LogLevel::kInfo);
      run.watch = !no_watch;
      // Before anything is loaded or locked: a bad address is a usage error, not a different port.
      if (!run.http_address.empty())
        if (pipeline::Status s = pipeline::CheckHttpAddress(run.http_address); !s.ok()) {
          std::cerr << "pipe: " << s.message() << "\n";
          return 2;
        }
      return pipeline::RunPipeline(run);
    }
    if (*reset_cmd) return pipeline::ResetPipelineState(reset);
    if (*tap_cmd) return pipeline::cli::RunTapCommand(tap, std::cout, std::cerr);
    if (*top_cmd) return pipeline::cli::RunTopCommand(top);
    if (*validate_cmd) return ValidateFiles(validate_paths, overrides);
    if (*explain_cmd) return ValidateOrExplain(file, overrides, format, true);
    if (*test_cmd) return pipeline::testing::RunPipeTestCommand(test_files, verbose, junit_file, std::cout);
    if (*conf_cmd) return pipeline::testing::RunConformanceCommand(conf, std::cout);
    if (*functions_cmd) {
      if (function_name.empty()) {
        std::cout << pipeline::sql::RenderFunctionReference(markdown);
        return 0;
      }
      if (auto one = pipeline::sql::RenderFunction(function_name)) {
        std::cout << *one;
        return 0;
      }
      std::string upper;
      for (char c : function_name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      std::cerr << "pipe: unknown function '" << function_name << "'"
                << pipeline::DidYouMean(upper, pipeline::sql::FunctionNames())
                << " (pipe functions lists them all)\n";
      return 2;
    }
    if (*docs_cmd) {
      const auto& registry = pipeline::BuiltinRegistry();
      // The reference is whole without the source tree: the condition grammar the options refer to is in it.
      std::cout << (schema ? pipeline::config::RenderJsonSchema(registry)
                           : pipeline::config::RenderReferenceMarkdown(registry) + "\n" +
                                 pipeline::transforms::kConditionGrammarMarkdown);
      return 0;
    }
    std::cout << pipeline::cli::VersionReport();
    return 0;
  };

  // A safety net, not the way errors travel: every input error is a located Result. An exception that still
  // escapes (a bug) ends the command with a message and the documented exit code instead of an abort and a core
  // dump; for `run` nothing was acknowledged that was not written, so a restart resumes from the checkpoints.
  try {
    return run_command();
  } catch (const std::exception& e) {
    std::cerr << "pipe: internal error: " << e.what() << " (please report it with the input that caused it)\n";
  } catch (...) {
    std::cerr << "pipe: internal error: an unknown exception (please report it with the input that caused it)\n";
  }
  return *validate_cmd || *explain_cmd ? 2 : 1;
}
