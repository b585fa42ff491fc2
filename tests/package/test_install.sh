#!/bin/sh
# Installs the build into BUILD/package-test/prefix, builds examples/ against the installed package (find_package and
# pkg-config), runs the example on a small zoo model and imports the installed Python package.
# Usage: test_install.sh SOURCE_DIR BUILD_DIR
set -eu
src=$1; build=$2; work=$build/package-test
rm -rf "$work"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$src/examples" -B "$work/example" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/example" >/dev/null
export XDG_CACHE_HOME="$work/cache"
"$work/example/profile_top_ops" squeezenet1_1 3 64 | tee "$work/out.txt"
grep -q "roofscope 0" "$work/out.txt"
test "$(wc -l < "$work/out.txt")" -eq 5
# pkg-config: the same program from the .pc file alone
PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --exists roofscope
c++ -std=c++17 -o "$work/example_pc" "$src/examples/profile_top_ops.cpp" \
  $(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --cflags --libs roofscope)
"$work/example_pc" squeezenet1_1 1 64 >/dev/null
# The Python package's installed copy, imported by Debian's python3 without its site directories (so not through
# scripts/install_python.sh's roofscope.pth), when the build has the module
if [ -f "$build/python/roofscope/__init__.py" ]; then
  py=$(ls -d "$work"/prefix/lib/python3.*/dist-packages)
  (cd / && PYTHONPATH="$py" /usr/bin/python3 -S -c "import roofscope; \
assert roofscope.__file__.startswith('$py'), roofscope.__file__; print('python', roofscope.__version__, \
len(roofscope.info('squeezenet1_1', size=64)['rows']), 'rows')")
fi
echo "package test: ok"
