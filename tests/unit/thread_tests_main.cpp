// The tests ThreadSanitizer runs (meson.build: thread_tests). They register the components they use, so the
// built-in list (src/builtin.cpp, every layer) is not linked: the registry starts empty.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "plugin/registry.h"

int main(int argc, char** argv) {
  pipeline::SetBuiltinRegistration([](pipeline::Registry&) {});
  return doctest::Context(argc, argv).run();
}
