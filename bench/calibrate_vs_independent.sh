#!/usr/bin/env bash
# Checks `roofscope calibrate` against independent tools run in the same session, and prints roofscope/independent
# ratios (1.00 = agreement):
#   - likwid-bench (Debian package likwid), when it runs here: peakflops_sp_avx_fma (or _avx512_fma) for the FP32
#     peak; stream_avx (A = B + s*C, regular stores, like our triad) at a working set inside each of our L1/L2/L3/DRAM
#     plateaus; stream_mem_avx (non-temporal stores) for DRAM.
#   - a plain-C first-touch loop for the price of a minor page fault: write one byte to each of 16384 fresh 4 KiB
#     pages of an mmap (MADV_NOHUGEPAGE), minus the same writes to the now-mapped pages, per fault (median of 9).
#   - a plain-C STREAM triad compiled here with the system compiler (-O3 -march=native -fopenmp), arrays of 4x the
#     last-level cache each (the STREAM rule), threads pinned with OMP_PLACES=cores.
# All bandwidths count bytes the STREAM way (24 B per triad element, write-allocate not counted). likwid-bench and the
# C triad pin one thread per core, as roofscope does.
#
# Usage: bench/calibrate_vs_independent.sh [--quick] [--threads N]
#   ROOFSCOPE=path/to/roofscope (default: build/roofscope next to this script's repo), CC=compiler (default cc).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
roofscope=${ROOFSCOPE:-$here/build/roofscope}
cc=${CC:-cc}
quick=""
threads=$(lscpu -p=core 2>/dev/null | grep -v '^#' | sort -u | wc -l)
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) quick="--quick"; shift ;;
    --threads) threads=$2; shift 2 ;;
    *) echo "usage: $0 [--quick] [--threads N]" >&2; exit 2 ;;
  esac
done
# likwid-bench from Debian when missing (the comparison runs without it, saying so, if it cannot be installed).
bash "$here/scripts/apt_install.sh" calibrate_vs_independent.sh likwid || echo "   could not install likwid" >&2
[[ -x $roofscope ]] || { echo "roofscope binary not found at $roofscope (set ROOFSCOPE=...)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
results=$work/independent.txt  # lines: "<figure> <threads> <value>"
: > "$results"

echo "== roofscope calibrate $quick --threads $threads" >&2
start=$(date +%s.%N)
"$roofscope" calibrate $quick --threads "$threads" --no-progress --format json --out "$work/profile.json" > /dev/null
echo "   took $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s" >&2

# --- plain-C STREAM triad --------------------------------------------------------------------------------------------
cat > "$work/triad.c" <<'EOF'
/* STREAM-style triad a = b + 3 c over n doubles per array; best of 10 timed passes after one warm-up. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char** argv) {
  const size_t n = strtoull(argv[1], NULL, 10);
  double *a = aligned_alloc(64, n * 8), *b = aligned_alloc(64, n * 8), *c = aligned_alloc(64, n * 8);
  if (!a || !b || !c) return 1;
#pragma omp parallel for schedule(static)
  for (size_t i = 0; i < n; ++i) { a[i] = 0; b[i] = 1; c[i] = 2; }
  double best = 1e30;
  for (int r = 0; r <= 10; ++r) {
    const double t0 = omp_get_wtime();
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < n; ++i) a[i] = b[i] + 3.0 * c[i];
    const double t = omp_get_wtime() - t0;
    if (r > 0 && t < best) best = t;
  }
  double check = 0;
  for (size_t i = 0; i < n; i += 4096) check += a[i];
  printf("triad_gb_per_s %.3f check %.1f\n", 24.0 * (double)n / best / 1e9, check);
  return 0;
}
EOF
llc_bytes=$(python3 -c "
import json; p = json.load(open('$work/profile.json'))
print(max([c['size_bytes'] for c in p['cpu']['caches']] or [32 << 20]))")
n=$(( 4 * llc_bytes / 8 ))
if "$cc" -O3 -march=native -fopenmp -o "$work/triad" "$work/triad.c" 2> "$work/cc.log"; then
  for t in $(seq 1 "$threads"); do
    v=$(OMP_NUM_THREADS=$t OMP_PLACES=cores OMP_PROC_BIND=close "$work/triad" "$n" | awk '{print $2}')
    echo "c_triad_dram $t $v" >> "$results"
  done
else
  echo "   C triad did not compile: $(head -1 "$work/cc.log")" >&2
fi

# --- plain-C first touch: the price of a minor page fault ------------------------------------------------------------
cat > "$work/fault.c" <<'EOF'
/* Seconds per minor page fault: first write to fresh 4 KiB pages minus a second write to the same pages. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }
static int cmp(const void* a, const void* b) { double x = *(const double*)a, y = *(const double*)b; return (x > y) - (x < y); }
int main(void) {
  enum { kPages = 16384, kReps = 9 };
  double price[kReps];
  for (int r = 0; r < kReps; ++r) {
    char* p = mmap(NULL, (size_t)kPages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return 1;
    madvise(p, (size_t)kPages * 4096, MADV_NOHUGEPAGE);
    double t0 = now();
    for (size_t i = 0; i < kPages; ++i) p[i * 4096] = 1;
    double first = now() - t0;
    t0 = now();
    for (size_t i = 0; i < kPages; ++i) p[i * 4096] = 2;
    double second = now() - t0;
    price[r] = (first - second) / kPages;
    munmap(p, (size_t)kPages * 4096);
  }
  qsort(price, kReps, sizeof price[0], cmp);
  printf("%.9f\n", price[kReps / 2]);
  return 0;
}
EOF
if "$cc" -O2 -o "$work/fault" "$work/fault.c" 2> "$work/cc_fault.log"; then
  echo "c_page_fault 1 $(taskset -c 0 "$work/fault" 2> /dev/null || "$work/fault")" >> "$results"
else
  echo "   C first-touch loop did not compile: $(head -1 "$work/cc_fault.log")" >&2
fi

# --- likwid-bench ----------------------------------------------------------------------------------------------------
likwid_value() {  # test size threads field -> value of the field ("MFlops/s" or "MByte/s"), empty when it fails
  likwid-bench -t "$1" -w "N:$2:$3" 2> /dev/null | awk -v f="$4:" '$1 == f {print $2}' | tail -1
}
if command -v likwid-bench > /dev/null && likwid-bench -a > "$work/likwid_tests.txt" 2> /dev/null; then
  peak_test=peakflops_sp_avx_fma
  grep -q '^peakflops_sp_avx512_fma ' "$work/likwid_tests.txt" && grep -q avx512f /proc/cpuinfo &&
    peak_test=peakflops_sp_avx512_fma
  # Working sets in the middle of each roofscope plateau (total over threads), in kB as likwid wants them.
  python3 - "$work/profile.json" > "$work/sizes.txt" <<'EOF'
import json, math, sys
p = json.load(open(sys.argv[1]))
for l in p["measured"]["bandwidth"]:
    mid = math.sqrt(l["first_bytes"] * l["last_bytes"])
    print(l["level"], l["threads"], max(4, int(mid / 1000)))
EOF
  for t in $(seq 1 "$threads"); do
    v=$(likwid_value "$peak_test" 24kB "$t" MFlops/s)
    [[ -n $v ]] && echo "likwid_peak $t $(awk -v v="$v" 'BEGIN {print v / 1000}')" >> "$results"
  done
  while read -r level t kb; do
    v=$(likwid_value stream_avx "${kb}kB" "$t" MByte/s)
    [[ -n $v ]] && echo "likwid_stream_$level $t $(awk -v v="$v" 'BEGIN {print v / 1000}')" >> "$results"
    if [[ $level == DRAM ]]; then
      v=$(likwid_value stream_mem_avx "$((4 * llc_bytes / 1000))kB" "$t" MByte/s)
      [[ -n $v ]] && echo "likwid_stream_mem_DRAM $t $(awk -v v="$v" 'BEGIN {print v / 1000}')" >> "$results"
    fi
  done < "$work/sizes.txt"
else
  echo "   likwid-bench not available or not runnable here (apt-get install likwid); skipped" >&2
fi

# --- ratios ----------------------------------------------------------------------------------------------------------
python3 - "$work/profile.json" "$results" <<'EOF'
import json, sys
p = json.load(open(sys.argv[1]))
m = p["measured"]
def peak(t):
    return max([x["gflops_per_s"]["value"] for x in m["peaks"] if x["threads"] == t] or [0])
def triad(level, t):
    for l in m["bandwidth"]:
        if l["level"] == level and l["threads"] == t and "triad" in l["gb_per_s"]:
            return l["gb_per_s"]["triad"]["value"]
    return 0
rows = []
for line in open(sys.argv[2]):
    key, t, v = line.split()
    t, v = int(t), float(v)
    if key == "likwid_peak":
        rows.append((f"FP32 peak GFLOP/s vs likwid peakflops", t, peak(t), v))
    elif key == "c_page_fault":
        rows.append(("page fault us vs C first-touch loop", t, m["os_prices"]["page_fault_s"] * 1e6, v * 1e6))
    elif key == "c_triad_dram":
        rows.append((f"DRAM triad GB/s vs C STREAM triad", t, triad("DRAM", t), v))
    elif key.startswith("likwid_stream_mem_"):
        rows.append((f"DRAM triad GB/s vs likwid stream_mem_avx (NT)", t, triad("DRAM", t), v))
    elif key.startswith("likwid_stream_"):
        level = key[len("likwid_stream_"):]
        rows.append((f"{level} triad GB/s vs likwid stream_avx", t, triad(level, t), v))
print(f"roofscope calibrate ({'quick' if m['quick'] else 'full'}, {m['seconds']:.1f} s) vs independent tools")
print(f"{'figure':<48} {'threads':>7} {'roofscope':>10} {'independent':>11} {'ratio':>6}")
for name, t, ours, theirs in sorted(rows, key=lambda r: (r[0], r[1])):
    ratio = f"{ours / theirs:.2f}" if ours > 0 and theirs > 0 else "n/a"
    print(f"{name:<48} {t:>7} {ours:>10.1f} {theirs:>11.1f} {ratio:>6}")
EOF
