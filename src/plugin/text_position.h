// Positions inside an option's text (a `sql:` block), moved to the pipeline file: the SQL engine says "2:54: …"
// about its own text, the user wants the file's line and column, whatever YAML style holds the text.
#pragma once

#include <optional>
#include <string>

#include <yaml-cpp/yaml.h>

#include "plugin/options.h"

namespace pipeline {

struct PositionedMessage {
  Location at;          // in the file
  std::string message;  // without the leading "line:col: " (given once, however often the message repeated it)
};

// When `message` starts with "line:col: " (1-based, inside the scalar `value`'s text) and the file (`file_text`)
// shows where that is: a block scalar (`sql: |`, its line 1 is the line after the indicator, columns after its
// indentation), or a quoted or plain scalar on one line. Otherwise nullopt.
std::optional<PositionedMessage> PositionInFile(const YAML::Node& value, const std::string& file,
                                                const std::string& file_text, const std::string& message);

}  // namespace pipeline
