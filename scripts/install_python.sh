#!/usr/bin/env bash
# Makes `import roofscope` work in Debian's /usr/bin/python3 without pip or PYTHONPATH: writes roofscope.pth (one
# line: the absolute path of this checkout's build/python, where the build puts the module) into that interpreter's
# first site directory (/usr/local/lib/python3.11/dist-packages on Debian 12; root or sudo). The last checkout that
# ran it wins; `cmake --install build` installs a copy instead (README "Python").
set -euo pipefail
cd "$(dirname "$0")/.."
want="$(pwd)/build/python"
[ -f "$want/roofscope/__init__.py" ] || { echo "install_python.sh: $want/roofscope is not built (cmake --build build --target _roofscope)" >&2; exit 1; }
site=$(/usr/bin/python3 -c 'import site; print(site.getsitepackages()[0])')
pth="$site/roofscope.pth"
[ -f "$pth" ] && [ "$(cat "$pth")" = "$want" ] && exit 0
sudo_cmd=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "install_python.sh: need root or sudo to write $pth" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
"${sudo_cmd[@]}" mkdir -p "$site"
printf '%s\n' "$want" | "${sudo_cmd[@]}" tee "$pth.tmp$$" > /dev/null
"${sudo_cmd[@]}" mv "$pth.tmp$$" "$pth"
echo "install_python.sh: $pth -> $want (import roofscope from /usr/bin/python3)" >&2
