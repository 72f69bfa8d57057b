#!/usr/bin/env bash
# Runs the benchmarks and writes docs/benchmarks.md from that one run: builds the JMH jar,
# compiles and runs the C floors (netns-benchmarks/src/main/c/nsbench.c), runs the JMH suite with
# the JVM on every vCPU and again pinned to one (taskset), and turns the medians into a table.
# Needs root (it creates network namespaces), mvn, a JDK, gcc, ip and taskset; about 10 minutes on
# 2 vCPUs (the round-robin benchmarks create 1,300 namespaces, the soak makes 10^6 calls).
# BENCH_QUICK=1 shortens every JMH iteration, to try the script out (its figures are not worth
# committing). Raw results stay in netns-benchmarks/target/bench-results.
set -euo pipefail

log() { printf '[bench] %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
  echo "[bench] run as root: the benchmarks create network namespaces" >&2
  exit 1
fi
for tool in mvn java gcc ip taskset; do
  command -v "$tool" >/dev/null 2>&1 || { echo "[bench] $tool is missing" >&2; exit 1; }
done

root=$(cd "$(dirname "$0")/.." && pwd)
module="$root/netns-benchmarks"
results="$module/target/bench-results"
jar="$module/target/netns-benchmarks.jar"
# Every namespace this run creates starts with this prefix, so the trap can remove what a failed
# or interrupted run left behind without touching anyone else's.
prefix="nt-bench-$$"
quick=${BENCH_QUICK:+quick}
start=$(date +%s)

cleanup() {
  local file
  for file in /run/netns/"$prefix"-*; do
    [ -e "$file" ] || continue
    log "removing leftover namespace $(basename "$file")"
    ip netns delete "$(basename "$file")" 2>/dev/null || { umount -l "$file" 2>/dev/null || true; rm -f "$file"; }
  done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

rm -rf "$results"
mkdir -p "$results"
{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpus=$(nproc)"
  echo "cpu_model=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "gcc=$(gcc --version | head -1)"
  echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$results/run.txt"

log "building the benchmarks jar"
(cd "$root" && mvn -B -q -pl netns-benchmarks -am -DskipTests package)

log "C floors (nsbench)"
gcc -O2 -Wall -Wextra -o "$results/nsbench" "$module/src/main/c/nsbench.c" -lpthread
"$results/nsbench" /run/netns "$prefix" | tee "$results/c.txt"

log "JMH suite, JVM on all vCPUs"
java -Dnetns.bench.prefix="$prefix" -cp "$jar" dev.netns.benchmarks.BenchmarkSuite "$results" spread $quick \
  | tee "$results/jmh-spread.log"

log "JMH hand-off benchmarks, JVM pinned to vCPU 0"
taskset -c 0 java -Dnetns.bench.prefix="$prefix" -cp "$jar" dev.netns.benchmarks.BenchmarkSuite "$results" one-cpu $quick \
  | tee "$results/jmh-one-cpu.log"

{
  echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "seconds=$(( $(date +%s) - start ))"
} >> "$results/run.txt"
mkdir -p "$root/docs"
java -cp "$jar" dev.netns.benchmarks.BenchmarkReport "$results" "$root/docs/benchmarks.md"
log "wrote docs/benchmarks.md; the run took $(( $(date +%s) - start )) s"
