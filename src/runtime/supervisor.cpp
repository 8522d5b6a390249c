#include "runtime/supervisor.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <signal.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>
#include <thread>

#include "config/pipeline_config.h"
#include "observability/http_server.h"
#include "observability/log.h"
#include "observability/metrics.h"
#include "observability/tap.h"
#include "runtime/pipeline.h"
#include "runtime/state_dir.h"
#include "runtime/state_dir_lock.h"

namespace pipeline {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

// The file's text as the loader reads it (bounded in size); "" when it cannot be read, which the load reports.
std::string ReadAll(const std::string& path) {
  auto text = config::ReadPipelineFile(path);
  return text.ok() ? std::move(*text) : std::string();
}

// An error on stderr: the "pipe: ..." line a terminal user reads, or under --log-format json one JSON object like
// every other line, so that a log pipeline parses all of them (reload errors and failures included).
void ReportError(const std::string& event, const std::string& message, bool prefixed = true) {
  if (CurrentLogFormat() == LogFormat::kJson) return LogError(event, message);
  std::cerr << (prefixed ? "pipe: " : "") << message << "\n";
}

// "2026-12-05T05:30:00Z": the checkpoint time a finite run that read nothing names.
std::string UtcText(std::chrono::system_clock::time_point t) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

// Picks the state dir (logging why when it is the old default), creates and locks it. Empty on failure, said,
// with `exit_code` 2 when it cannot be created (a wrong path), 1 when another process holds it.
std::string OpenStateDir(const RunOptions& options, StateDirLock& lock, int& exit_code) {
  StateDirChoice choice = ChooseStateDir(options.file, options.state_dir);
  if (!choice.note.empty()) LogInfo("state_dir_old_default", choice.note, {{"state_dir", choice.path}});
  std::error_code ec;
  fs::create_directories(choice.path, ec);
  if (ec) {
    ReportError("state_dir_error", "cannot create the state dir " + choice.path + ": " + ec.message());
    exit_code = 2;
    return {};
  }
  if (Status locked = lock.Acquire(choice.path); !locked.ok()) {
    ReportError("state_dir_locked", locked.message());
    exit_code = 1;
    return {};
  }
  return choice.path;
}

// Loads, validates and builds; prints every error. nullptr when the file is invalid.
// Nothing here may end the process: on a reload, the running pipeline goes on when the new file fails.
std::unique_ptr<Pipeline> LoadAndBuild(const RunOptions& options, const RuntimeOptions& runtime) {
  config::Diagnostics diags;
  config::LoadOptions load{options.overrides, nullptr};
  try {
    auto cfg = config::LoadPipelineFile(options.file, load, diags);
    for (const auto& w : diags.warnings) LogWarn("config_warning", w);
    if (cfg.ok()) {
      auto built = Pipeline::Build(*cfg, runtime, diags);
      if (built.ok()) return std::move(*built);
    }
  } catch (const std::exception& e) {  // a bug, since every input error is a Result: refuse the file, say so
    diags.errors.push_back(options.file + ": internal error while loading: " + e.what());
  }
  for (const auto& e : diags.errors) ReportError("config_error", e, false);
  return nullptr;
}

// Watches the folder of the pipeline file: editors replace files by rename, and Kubernetes swaps `..data`.
class FileWatch {
 public:
  FileWatch(const std::string& file, bool enabled) : name_(fs::path(file).filename().string()) {
    if (!enabled) return;
    fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    std::string dir = fs::path(file).parent_path().string();
    if (fd_ >= 0)
      inotify_add_watch(fd_, dir.empty() ? "." : dir.c_str(),
                        IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MODIFY);
  }
  ~FileWatch() {
    if (fd_ >= 0) close(fd_);
  }
  // Waits up to timeout, or until `wake_fd` is readable; true if the file (or the ConfigMap's ..data link)
  // changed.
  bool Changed(int timeout_ms, int wake_fd) {
    pollfd p[2] = {{wake_fd, POLLIN, 0}, {fd_, POLLIN, 0}};
    if (poll(p, fd_ < 0 ? 1 : 2, timeout_ms) <= 0 || fd_ < 0 || !(p[1].revents & POLLIN)) return false;
    return DrainEvents();
  }
  // Waits until the file has had no change for `quiet_ms` (at most `limit_ms`): a writer that truncates and then
  // writes (most editors, `>` in a shell) is seen half-way otherwise, and an empty or half-written file would be
  // rejected as a reload.
  void Settle(int quiet_ms, int limit_ms) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::milliseconds(limit_ms);
    auto quiet_from = Clock::now() + std::chrono::milliseconds(quiet_ms);
    pollfd p{fd_, POLLIN, 0};
    for (auto now = Clock::now(); fd_ >= 0 && now < quiet_from && now < deadline; now = Clock::now()) {
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(quiet_from - now).count();
      if (poll(&p, 1, static_cast<int>(wait) + 1) > 0 && DrainEvents())
        quiet_from = Clock::now() + std::chrono::milliseconds(quiet_ms);  // other files in the folder do not count
    }
  }

 private:
  bool DrainEvents() {
    bool changed = false;
    alignas(inotify_event) char buf[4096];
    ssize_t n;
    while ((n = read(fd_, buf, sizeof buf)) > 0) {
      for (char* ptr = buf; ptr < buf + n;) {
        auto* ev = reinterpret_cast<inotify_event*>(ptr);
        std::string name = ev->len ? ev->name : "";
        if (name == name_ || name == "..data") changed = true;
        ptr += sizeof(inotify_event) + ev->len;
      }
    }
    return changed;
  }

  std::string name_;
  int fd_ = -1;
};

// An eventfd written once when a pipeline run returns.
class RunEndSignal {
 public:
  RunEndSignal() : fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}
  ~RunEndSignal() {
    if (fd_ >= 0) close(fd_);
  }
  RunEndSignal(const RunEndSignal&) = delete;
  RunEndSignal& operator=(const RunEndSignal&) = delete;
  int fd() const { return fd_; }
  void Notify() {
    uint64_t one = 1;
    if (fd_ >= 0) (void)!write(fd_, &one, sizeof one);
  }

 private:
  int fd_;
};

// Signals are taken synchronously by one thread so that no handler runs inside library code.
class SignalWatch {
 public:
  SignalWatch() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    sigaddset(&set_, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);  // before any thread starts: all inherit the mask
    signal(SIGPIPE, SIG_IGN);
  }
  // 0 if none arrived.
  int Poll() {
    timespec zero{0, 0};
    int sig = sigtimedwait(&set_, nullptr, &zero);
    return sig > 0 ? sig : 0;
  }

 private:
  sigset_t set_;
};

class ProgressReporter {
 public:
  explicit ProgressReporter(std::chrono::seconds every) : every_(every), start_(Clock::now()), last_(start_) {}
  std::string ElapsedSeconds() const {
    return std::to_string(std::chrono::duration<double>(Clock::now() - start_).count());
  }
  void Maybe(const Pipeline& p, bool force = false) {
    auto now = Clock::now();
    if (!force && now - last_ < every_) return;
    auto t = p.totals();
    double secs = std::chrono::duration<double>(now - start_).count();
    double rate = secs > 0 ? static_cast<double>(t.read) / secs : 0;
    LogInfo("progress", (force ? "finished: " : "running: ") + std::to_string(t.read) + " records read, " +
                            std::to_string(t.written) + " written in " + std::to_string(static_cast<int64_t>(secs)) +
                            " s (" + std::to_string(static_cast<int64_t>(rate)) + " records/s)");
    last_ = now;
  }

 private:
  std::chrono::seconds every_;
  Clock::time_point start_, last_;
};

}  // namespace

int RunPipeline(const RunOptions& options) {
  SignalWatch signals;
  MetricsRegistry metrics;
  TapRegistry taps;  // outlives the HTTP server and every pipeline version, which hold its points
  StateDirLock lock;  // held until the process ends, across reloads
  int exit_code = 0;
  RuntimeOptions runtime{OpenStateDir(options, lock, exit_code), &metrics, &taps};
  if (runtime.state_dir.empty()) return exit_code;
  if (options.reset) {
    if (Status reset = ResetStateDir(runtime.state_dir); !reset.ok()) {
      ReportError("state_reset_failed", "--reset: " + reset.message());
      return 1;
    }
    LogInfo("state_reset", "--reset: deleted the checkpoints and state in " + runtime.state_dir +
                               "; every source starts over");
  }
  // A finite run that reads nothing says why: its sources resumed at the end of what an earlier run read.
  const auto checkpoint_before = LastCheckpointTime(runtime.state_dir);

  std::unique_ptr<Pipeline> pipeline = LoadAndBuild(options, runtime);
  if (!pipeline) return 2;
  std::string loaded_text = ReadAll(options.file);

  std::atomic<Pipeline*> current{pipeline.get()};
  HttpServer http(&metrics, [&] {
    Pipeline* p = current.load();
    return p ? p->NotReady() : std::vector<std::string>{"no pipeline is running (reloading)"};
  }, &taps);
  if (!options.http_address.empty()) {
    Status s = http.Start(options.http_address);
    if (!s.ok()) {
      ReportError("http_error", s.message());
      return 2;
    }
    LogInfo("http_listening", "serving /healthz, /readyz, /metrics and /tap on " + options.http_address);
  }

  FileWatch watch(options.file, options.watch);
  std::unique_ptr<Pipeline> previous;  // the version a reload replaced, until the new one started
  ProgressReporter progress(std::chrono::seconds(10));
  while (true) {
    taps.SetStreams(pipeline->stream_names());
    LogInfo("pipeline_started", "running " + options.file + " (" + std::to_string(pipeline->source_count()) +
                                    " sources, " + std::to_string(pipeline->stage_count()) + " transforms, " +
                                    std::to_string(pipeline->sink_count()) + " sinks); state in " + runtime.state_dir +
                                    (pipeline->finite() ? "" : "; Ctrl-C to stop"));
    // The run signals its end on an eventfd, so that a finite pipeline exits as soon as it is done rather than
    // at the next 100 ms check.
    RunEndSignal ended;
    auto running = std::async(std::launch::async, [p = pipeline.get(), &ended] {
      Status s = p->Run();
      ended.Notify();
      return s;
    });
    bool reload = false, stopping = false;
    while (running.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready) {
      bool changed = watch.Changed(100, ended.fd());
      int sig = signals.Poll();
      if (sig == SIGINT || sig == SIGTERM) {
        if (!stopping) LogInfo("stopping", "stopping: draining in-flight records and committing positions");
        stopping = true;
        pipeline->Stop();
      }
      if ((changed || sig == SIGHUP) && !stopping) {
        if (changed) watch.Settle(150, 2000);
        std::string text = ReadAll(options.file);
        if (text == loaded_text && sig != SIGHUP) continue;
        LogInfo("reload_requested", "the pipeline file changed; validating the new version");
        auto next = LoadAndBuild(options, runtime);
        if (!next) {
          LogWarn("reload_rejected", "the new pipeline file is invalid (errors above); the running pipeline goes on");
          loaded_text = text;
          continue;
        }
        loaded_text = text;
        pipeline->Stop();
        Status done = running.get();
        if (!done.ok()) {
          ReportError("pipeline_failed", done.message());
          return 1;
        }
        previous = std::move(pipeline);  // kept until the new version is running, to go back to
        pipeline = std::move(next);
        current = pipeline.get();
        reload = true;
        LogInfo("reloaded", "reloaded " + options.file + "; resuming from the committed positions");
        break;
      }
      progress.Maybe(*pipeline);
      if (previous && pipeline->became_ready()) previous.reset();  // the new version runs: no going back
    }
    if (reload) continue;
    Status done = running.get();
    current = nullptr;
    if (!done.ok() && previous && !pipeline->became_ready()) {
      // A reloaded version that validated but could not start (a sink path it may not write, a port taken):
      // the previous version, which ran, runs again from the committed positions instead of ending the process.
      LogWarn("reload_failed", "the new version of " + options.file + " could not start: " + done.message() +
                                   "; going back to the previous version");
      config::Diagnostics diags;
      auto again = Pipeline::Build(previous->config(), runtime, diags);
      if (!again.ok()) {
        ReportError("reload_failed", "the previous version cannot be rebuilt either: " + diags.Joined());
        return 1;
      }
      pipeline = std::move(*again);
      current = pipeline.get();
      previous.reset();
      continue;
    }
    if (!done.ok()) {
      progress.Maybe(*pipeline, true);
      ReportError("pipeline_failed", "pipeline failed: " + done.message());
      return 1;
    }
    auto totals = pipeline->totals();
    if (!stopping && totals.read == 0 && checkpoint_before)
      LogInfo("nothing_new", "nothing new since the checkpoint of " + UtcText(*checkpoint_before) +
                                 "; --reset starts over", {{"checkpoint_time", UtcText(*checkpoint_before)}});
    // One final line with the counts as fields, so that a cron or CI job's log ends with one parseable summary.
    LogInfo("pipeline_finished",
            (stopping ? "stopped after draining; positions committed: " : "finished: all sources ended: ") +
                std::to_string(totals.read) + " records read, " + std::to_string(totals.written) + " written",
            {{"records_read", std::to_string(totals.read)}, {"records_written", std::to_string(totals.written)},
             {"seconds", progress.ElapsedSeconds()}});
    return 0;
  }
}

int ResetPipelineState(const RunOptions& options) {
  StateDirChoice choice = ChooseStateDir(options.file, options.state_dir);
  std::error_code ec;
  if (!fs::is_directory(choice.path, ec)) {
    std::cout << "nothing to reset: no state in " << choice.path << "\n";
    return 0;
  }
  StateDirLock lock;
  if (Status locked = lock.Acquire(choice.path); !locked.ok()) {
    std::cerr << "pipe: " << locked.message() << "\n";
    return 1;
  }
  if (Status reset = ResetStateDir(choice.path); !reset.ok()) {
    std::cerr << "pipe: " << reset.message() << "\n";
    return 1;
  }
  std::cout << "deleted the checkpoints and state in " << choice.path << "; the next run starts over\n";
  return 0;
}

}  // namespace pipeline
