// Status and Result<T>: expected failures travel as values, never as exceptions across stages.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace pipeline {

// How a failure should be handled by the caller.
enum class ErrorKind {
  kConfig,     // the user must change the pipeline file
  kData,       // one record is bad: follows on_error
  kRetryable,  // transient (network, broker down): retry with backoff
  kFatal,      // stop the pipeline
};

class Error {
 public:
  Error() = default;
  Error(ErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }

 private:
  ErrorKind kind_ = ErrorKind::kFatal;
  std::string message_;
};

inline Error ConfigError(std::string m) { return {ErrorKind::kConfig, std::move(m)}; }
inline Error DataError(std::string m) { return {ErrorKind::kData, std::move(m)}; }
inline Error RetryableError(std::string m) { return {ErrorKind::kRetryable, std::move(m)}; }
inline Error FatalError(std::string m) { return {ErrorKind::kFatal, std::move(m)}; }

// Success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error e) : error_(std::move(e)), ok_(false) {}  // NOLINT: implicit by design
  static Status Ok() { return {}; }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }
  const std::string& message() const { return error_.message(); }

 private:
  Error error_;
  bool ok_ = true;
};

// A value or an Error (std::expected is C++23; this is the subset we need).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT
  Result(Error e) : data_(std::move(e)) {}      // NOLINT
  Result(Status s) : data_(s.error()) { assert(!s.ok() && "a Result needs a value or a failed Status"); }  // NOLINT

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(data_); }
  const T& value() const& { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(data_); }
  Status status() const { return ok() ? Status() : Status(error()); }

 private:
  std::variant<T, Error> data_;
};

}  // namespace pipeline

// Propagate a failed Status/Result from the current function.
#define PIPE_RETURN_IF_ERROR(expr)                 \
  do {                                             \
    auto _pipe_status = (expr);                    \
    if (!_pipe_status.ok()) return _pipe_status.error(); \
  } while (0)
