// "did you mean …" for misspelt keys and types.
#pragma once

#include <string>
#include <vector>

namespace pipeline {

// The closest candidate within a small edit distance, or "" if none is close.
std::string ClosestMatch(const std::string& word, const std::vector<std::string>& candidates);
// " (did you mean 'x'?)" or "".
std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace pipeline
