#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "builtin.h"

int main(int argc, char** argv) {
  pipeline::InstallBuiltins();  // the registry the tests build pipelines from (src/builtin.h)
  return doctest::Context(argc, argv).run();
}
