// roofscope's public C++ API: the one header to include (`#include <roofscope/roofscope.h>`, CMake
// `find_package(roofscope)` + `roofscope::roofscope`, or `pkg-config --cflags --libs roofscope`).
// Every function does what the CLI command of the same name does and returns the text that command prints, in the
// format asked for ("table", "csv", "json", "md" as the command offers); the JSON is the CLI's, field for field.
#pragma once
#include "roofscope/api.h"
#include "roofscope/version.h"
