#include "testing/isolated_call.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>

namespace pipeline::testing {
namespace {

std::string RunCaught(const std::function<std::string()>& work, bool& completed) {
  try {
    std::string payload = work();
    completed = true;
    return payload;
  } catch (const std::exception& e) {
    return std::string("exception: ") + e.what();
  } catch (...) {
    return "exception: unknown";
  }
}

void WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += size_t(n);
  }
}

}  // namespace

IsolatedOutcome RunIsolated(const std::function<std::string()>& work, std::chrono::milliseconds time_limit) {
  IsolatedOutcome outcome;
  const char* no_fork = std::getenv("PIPE_TEST_NO_FORK");
  if (no_fork && std::strcmp(no_fork, "1") == 0) {
    std::string text = RunCaught(work, outcome.completed);
    (outcome.completed ? outcome.payload : outcome.failure) = std::move(text);
    return outcome;
  }

  int fds[2];
  if (::pipe(fds) != 0) {
    outcome.failure = std::string("cannot create a pipe: ") + std::strerror(errno);
    return outcome;
  }
  pid_t child = fork();
  if (child < 0) {
    close(fds[0]);
    close(fds[1]);
    outcome.failure = std::string("cannot fork: ") + std::strerror(errno);
    return outcome;
  }
  if (child == 0) {
    close(fds[0]);
    // The child dies of its own crash and the parent reports it: crash handlers inherited from the parent (a test
    // framework's, say) must not report it a second time from inside the child, as if the parent had crashed.
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) signal(sig, SIG_DFL);
    bool completed = false;
    std::string text = RunCaught(work, completed);
    // One status byte, then the text: 'R' = returned, 'X' = threw.
    WriteAll(fds[1], (completed ? "R" : "X") + text);
    close(fds[1]);
    _exit(0);  // no atexit handlers, no flushing of the parent's copied stdio buffers
  }

  close(fds[1]);
  std::string received;
  bool timed_out = false;
  auto deadline = std::chrono::steady_clock::now() + time_limit;
  char buffer[65536];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int ready = poll(&p, 1, int(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;  // the deadline check above ends the loop
    ssize_t n = read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // end of file: the child is done (or died)
    received.append(buffer, size_t(n));
  }
  close(fds[0]);
  if (timed_out) kill(child, SIGKILL);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }

  if (timed_out) {
    outcome.failure = "timed out after " + std::to_string(time_limit.count() / 1000.0).substr(0, 4) + " s";
  } else if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    outcome.failure = "crashed: signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
  } else if (received.empty() || (WIFEXITED(status) && WEXITSTATUS(status) != 0)) {
    outcome.failure = "child exited with status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  } else if (received[0] == 'R') {
    outcome.completed = true;
    outcome.payload = received.substr(1);
  } else {
    outcome.failure = received.substr(1);
  }
  return outcome;
}

}  // namespace pipeline::testing
