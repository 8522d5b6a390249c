// Judges one conformance case against a fresh engine: expected-error cases pass when a statement is rejected,
// data cases when every checked output stream carries exactly the expected records.
#pragma once

#include <string>

#include "testing/conformance_case.h"

namespace pipeline::testing {

struct CaseVerdict {
  bool passed = false;
  std::string reason;  // first line of the failure
  std::string detail;  // statements, expected vs actual, engine errors
};

CaseVerdict JudgeConformanceCase(const ConformanceCase& c);

// Verdicts cross a process boundary (each case runs in a child): a small text encoding.
std::string EncodeVerdict(const CaseVerdict& v);
CaseVerdict DecodeVerdict(const std::string& text);

}  // namespace pipeline::testing
