#include "connectors/common/csv_options.h"

namespace pipeline {

namespace {

OptionSpec CsvReadingSpec() {
  return {.name = "csv", .type = OptionType::kObject,
          .description = "format: csv: how lines are split and typed. Cells are strings (a zip code 01234 keeps its "
                         "leading zero) unless columns declares a type or infer_types is on.",
          .fields = {
              {.name = "delimiter", .type = OptionType::kString, .description = "The one character between cells.",
               .default_value = ","},
              {.name = "quote", .type = OptionType::kString,
               .description = "The one character that quotes a cell (doubled inside it).", .default_value = "\""},
              {.name = "header", .type = OptionType::kBool,
               .description = "true: the first line of each file names the columns. false: columns names them.",
               .default_value = "true"},
              {.name = "columns", .type = OptionType::kObjectList,
               .description = "Declared columns: with a header, types by name (undeclared columns are strings); "
                              "with header: false, every column in order.",
               .fields = {{.name = "name", .type = OptionType::kString, .description = "The column's name.",
                           .required = true},
                          {.name = "type", .type = OptionType::kEnum, .description = "What its cells become.",
                           .default_value = "string", .choices = CsvColumnTypes()}}},
              {.name = "infer_types", .type = OptionType::kBool,
               .description = "Undeclared cells become int, double or boolean when their text is one (never text "
                              "with a leading zero).",
               .default_value = "false"},
              {.name = "null_value", .type = OptionType::kString,
               .description = "An unquoted cell with this text is null.", .default_value = ""},
          }};
}

// The same names, said for writing; infer_types only concerns reading.
OptionSpec CsvWritingSpec() {
  return {.name = "csv", .type = OptionType::kObject,
          .description = "format: csv: how records are written; the same settings on a file or stdin source read "
                         "them back.",
          .fields = {
              {.name = "delimiter", .type = OptionType::kString, .description = "The one character between cells.",
               .default_value = ","},
              {.name = "quote", .type = OptionType::kString,
               .description = "The one character that quotes a cell holding the delimiter, the quote (doubled), a "
                              "line break or the null_value text.",
               .default_value = "\""},
              {.name = "header", .type = OptionType::kBool,
               .description = "true: each file starts with a line of column names.", .default_value = "true"},
              {.name = "columns", .type = OptionType::kObjectList,
               .description = "The value fields written, in this order (a missing one is null); by default every "
                              "field of each value. A type is for reading back.",
               .fields = {{.name = "name", .type = OptionType::kString, .description = "The column's name.",
                           .required = true},
                          {.name = "type", .type = OptionType::kEnum, .description = "What its cells become when read.",
                           .default_value = "string", .choices = CsvColumnTypes()}}},
              {.name = "null_value", .type = OptionType::kString,
               .description = "The text written for a null (a string with this text is quoted).",
               .default_value = ""},
          }};
}

}  // namespace

OptionSpec CsvOptionSpec(CsvUse use) { return use == CsvUse::kRead ? CsvReadingSpec() : CsvWritingSpec(); }

Result<CsvOptions> ReadCsvOptions(const Options& component_options, CsvUse use) {
  const Options csv = component_options.Object("csv");
  CsvOptions o;
  const std::string delimiter = csv.GetString("delimiter"), quote = csv.GetString("quote");
  if (delimiter.size() != 1)
    return csv.ErrorAt("delimiter", "must be one character (\"\\t\" for tabs), not '" + delimiter + "'");
  if (quote.size() != 1) return csv.ErrorAt("quote", "must be one character, not '" + quote + "'");
  o.delimiter = delimiter[0];
  o.quote = quote[0];
  o.header = csv.GetBool("header");
  if (use == CsvUse::kRead) o.infer_types = csv.GetBool("infer_types");
  o.null_value = csv.GetString("null_value");
  for (const Options& column : csv.ObjectList("columns"))
    o.columns.push_back({column.GetString("name"), column.GetString("type")});
  if (use == CsvUse::kRead && !o.header && o.columns.empty()) return csv.ErrorAt("header", "header: false needs columns to name them");
  if (o.delimiter == o.quote) return csv.ErrorAt("quote", "must differ from the delimiter");
  return o;
}

}  // namespace pipeline
