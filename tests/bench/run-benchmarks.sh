#!/usr/bin/env bash
# Builds CP Console in Release and runs every benchmark in tests/bench, then the cold start of
# `cpconsole --demo`, and prints one summary table (each figure against its baseline from the
# same run). Each benchmark's own markdown output is kept in the results directory.
#
# Usage: bash tests/bench/run-benchmarks.sh [--soak] [--soak-seconds N] [--no-build]
#                                           [--build-dir DIR] [--results DIR] [--jobs N]
#                                           [--only NAME[,NAME]] [--summary-only]
#   --soak            also run bench_soak (bounded: 120 s by default; not part of a normal run)
#   --no-build        use the binaries already in the build directory
#   --results DIR     where each benchmark's output and the summary go (default BUILD/bench-results)
#   --only            run only these benchmarks (bench_model,coldstart,...); the summary
#                     still shows the earlier results of the others
#   --summary-only    print the summary of the results already in the results directory
# Environment: CPC_BENCH_BUILD_DIR (default ./build-bench-release), CPC_CMAKE_ARGS.
#
# Only loopback is used: every CP is a simulator on 127.0.0.1. Each step has a time limit.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

soak=0
soak_seconds=120
build_first=1
build=${CPC_BENCH_BUILD_DIR:-$root/build-bench-release}
jobs=$(nproc)
only=""
results=""
summary_only=0
while [ $# -gt 0 ]; do
    case "$1" in
    --soak) soak=1 ;;
    --soak-seconds) soak=1; soak_seconds=$2; shift ;;
    --no-build) build_first=0 ;;
    --build-dir) build=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    --results) results=$2; shift ;;
    --only) only=$2; shift ;;
    --summary-only) summary_only=1; build_first=0 ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-benchmarks.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
results=${results:-$build/bench-results}
mkdir -p "$results"
export QT_QPA_PLATFORM=offscreen
export QT_LOGGING_RULES=${QT_LOGGING_RULES:-"cpc.*.debug=false"}
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export NO_PROXY=127.0.0.1,localhost

log() { printf '== %s\n' "$*" >&2; }
wanted() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }

# The benchmarks tests/bench/CMakeLists.txt registers, in its order.
mapfile -t benches < <(sed -n 's/^[[:space:]]*cpc_add_bench(\([A-Za-z0-9_]*\).*/\1/p' "$root/tests/bench/CMakeLists.txt")

if [ "$build_first" = 1 ]; then
    log "configure (Release) in $build"
    if ! cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCPC_BUILD_BENCHMARKS=ON \
        ${CPC_CMAKE_ARGS:-} >"$results/cmake.log" 2>&1; then
        tail -20 "$results/cmake.log" >&2
        echo "run-benchmarks.sh: cmake failed (log: $results/cmake.log)" >&2
        exit 1
    fi
    # -k 0: a benchmark that does not compile (work in progress) must not stop the others.
    log "build ${benches[*]} cpctl cpconsole"
    nice ninja -C "$build" -k 0 -j "$jobs" "${benches[@]}" cpctl cpconsole >"$results/build.log" 2>&1 ||
        { grep -E '^FAILED|error:' "$results/build.log" | head -20 >&2; log "some targets failed to build; running the rest"; }
fi

machine() {
    local cpu
    cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
    printf '%s, %s cores, %s, Qt %s, %s build, load average at the end %s\n' \
        "${cpu:-unknown CPU}" "$(nproc)" "$(. /etc/os-release 2>/dev/null; echo "${PRETTY_NAME:-Linux}")" \
        "$(dpkg-query -W -f='${Version}' libqt6core6 2>/dev/null | sed 's/[+-].*//' || echo '?')" \
        "$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null)" \
        "$(cut -d' ' -f1-3 /proc/loadavg)"
}

bin() { # path of a built target, empty when it is missing
    local p
    for p in "$build/tests/bench/$1" "$build/app/$1" "$build/$1"; do
        [ -x "$p" ] && { echo "$p"; return; }
    done
}

run_bench() { # name timeout-seconds args...
    local name=$1 limit=$2 exe rc
    shift 2
    wanted "$name" || return 0
    exe=$(bin "$name")
    if [ -z "$exe" ]; then
        log "$name: not built, skipped"
        echo "not built" >"$results/$name.missing"
        return 0
    fi
    rm -f "$results/$name.missing"
    log "$name $*"
    timeout --kill-after=10 "$limit" "$exe" "$@" >"$results/$name.md" 2>"$results/$name.log"
    rc=$?
    echo "$rc" >"$results/$name.rc"
    [ "$rc" = 0 ] || log "$name exited $rc (stderr: $results/$name.log)"
    cat "$results/$name.md"
    echo
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
now_ms() { date +%s%3N; }

# Cold start of the GUI in demo mode: process start to the first paint of the main window
# (Qt's qt.widgets.painting log says when it paints and flushes the first frame; offscreen
# platform), median of 5; the baseline is `cpconsole --version` (QApplication up and down).
cold_start() {
    wanted coldstart || return 0
    local exe firsts=() floors=() rss=() i t0 t1 out
    exe=$(bin cpconsole)
    if [ -z "$exe" ]; then
        log "cpconsole: not built, cold start skipped"
        return 0
    fi
    log "cold start: cpconsole --demo (5 runs)"
    local home
    home=$(mktemp -d)
    for i in 0 1 2 3 4 5; do # run 0 warms the page cache
        t0=$(now_ms)
        out=$(HOME=$home XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_CACHE_HOME=$home/cache \
            QT_LOGGING_RULES="qt.widgets.painting=true;cpc.*.debug=false" QT_MESSAGE_PATTERN="%{message}" \
            timeout --kill-after=5 30 /usr/bin/time -f 'PEAKRSS %M' -o "$results/coldstart.rss" \
            "$exe" --demo --quit-after 3000 2>&1 >/dev/null |
            { first=""; while IFS= read -r line; do
                if [ -z "$first" ] && [[ $line == *"Painting and flushing"* ]]; then first=$(now_ms); fi
              done; echo "$first"; })
        t1=$(date +%s%3N)
        HOME=$home XDG_CONFIG_HOME=$home/config timeout 30 "$exe" --version >/dev/null 2>&1
        local t2
        t2=$(now_ms)
        [ "$i" = 0 ] && continue
        [ -n "$out" ] && firsts+=("$((out - t0))")
        floors+=("$((t2 - t1))")
        rss+=("$(sed -n 's/^PEAKRSS //p' "$results/coldstart.rss")")
    done
    rm -rf "$home"
    {
        echo "### Cold start: \`cpconsole --demo\` to first paint (offscreen platform, median of 5)"
        echo
        echo "| measure | median | runs |"
        echo "|---|---:|---|"
        echo "| process start to first paint (ms) | $(printf '%s\n' "${firsts[@]}" | median) | ${firsts[*]:-none seen} |"
        echo "| \`cpconsole --version\`, start to exit (ms, baseline) | $(printf '%s\n' "${floors[@]}" | median) | ${floors[*]} |"
        echo "| peak RSS over 3 s of demo mode (MiB) | $(printf '%s\n' "${rss[@]}" | median | awk '$1 != "" { printf "%.1f", $1 / 1024 }') | |"
        local f b
        f=$(printf '%s\n' "${firsts[@]}" | median)
        b=$(printf '%s\n' "${floors[@]}" | median)
        echo
        [ -n "$f" ] && echo "RESULT coldstart_first_paint $f ms $b $(awk -v a="$f" -v b="$b" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
        r=$(printf '%s\n' "${rss[@]}" | median)
        [ -n "$r" ] && echo "RESULT coldstart_peak_rss $(awk -v r="$r" 'BEGIN { printf "%.1f", r / 1024 }') MiB - -"
    } >"$results/coldstart.md"
    cat "$results/coldstart.md"
    echo
}

# --- run ----------------------------------------------------------------------------------
if [ "$summary_only" = 1 ]; then
    started=$(date -u -r "$(ls -t "$results"/*.md 2>/dev/null | grep -v summary.md | head -1)" '+%Y-%m-%d %H:%M UTC' 2>/dev/null)
    [ -s "$results/bench_soak.md" ] && soak=1 &&
        soak_seconds=$(sed -n 's/^### Soak (\([0-9]*\) s.*/\1/p' "$results/bench_soak.md")
else
    started=$(date -u '+%Y-%m-%d %H:%M UTC')
    # With --only, the other benchmarks' earlier results stay and are summarised too.
    [ -z "$only" ] && rm -f "$results"/*.md "$results"/*.rc "$results"/*.missing
    # bench_pg_list reads the PostgreSQL fixture: a throwaway server unless one is given.
    if wanted bench_pg_list && [ -z "${CPC_TEST_PG_URL:-}" ]; then
        # shellcheck source=tests/pg-fixture.sh
        source "$root/tests/pg-fixture.sh"
        pg_fixture_start && trap pg_fixture_stop EXIT
    fi
    for b in "${benches[@]}"; do
        case "$b" in
        bench_soak) [ "$soak" = 1 ] && run_bench bench_soak $((soak_seconds + 120)) --seconds "$soak_seconds" ;;
        *) run_bench "$b" 1800 ;;
        esac
    done
    cold_start
fi

# --- summary ------------------------------------------------------------------------------
# Parsers are tolerant: a benchmark that is missing, failed or changed its format gives n/a.
# Our benchmarks print `RESULT <name> <value> <unit> <baseline> <ratio>` lines ("-": none);
# the others' markdown tables are read as they are.
md() { [ -s "$results/$1.md" ] && cat "$results/$1.md"; }
trim() { sed 's/^[[:space:]]*//; s/[[:space:]]*$//'; }
# Cell $2 (1-based, after the leading |) of the first table row of bench $1 matching ERE $3.
cell() { md "$1" | grep -E "$3" | head -1 | awk -F'|' -v c="$2" '{ print $(c + 1) }' | trim; }
first_num() { grep -oE '^-?[0-9]+(\.[0-9]+)?' | head -1; }
# Numbers to a readable precision; ratios below 0.1 as 1/N (N times less than the baseline).
num() { awk -v v="$1" 'BEGIN { if (v !~ /^-?[0-9]+(\.[0-9]*)?$/) { print v; exit }
    a = v < 0 ? -v : v; if (a >= 100) printf "%.0f", v; else if (a >= 10) printf "%.1f", v;
    else if (a >= 1) printf "%.2f", v; else printf "%.3g", v }'; }
fmt_ratio() { awk -v r="$1" 'BEGIN { if (r !~ /^-?[0-9]+(\.[0-9]*)?([eE]-?[0-9]+)?$/) print "";
    else if (r > 0 && r < 0.1) printf "1/%.0f", 1 / r; else printf "%.2f", r }'; }
ratio() { fmt_ratio "$(awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b != "" && b + 0 != 0) print a / b }')"; }
# Field of a RESULT line: result BENCH NAME FIELD (value, unit, baseline, ratio), "" if absent.
result() {
    md "$1" | awk -v n="$2" -v f="$3" '$1 == "RESULT" && $2 == n {
        i = (f == "value") ? 3 : (f == "unit") ? 4 : (f == "baseline") ? 5 : 6; if ($i != "-") print $i; exit }'
}
orna() { [ -n "${1:-}" ] && echo "$1" || echo "n/a"; }
row() { printf '| %s | %s | %s | %s | %s |\n' "$1" "$(orna "$2")" "$(orna "$3")" "$(orna "$4")" "$5"; }
# One row from a RESULT line: label bench name baseline-description
result_row() {
    local label=$1 bench=$2 name=$3 what=$4 v u b
    v=$(result "$bench" "$name" value); u=$(result "$bench" "$name" unit); b=$(result "$bench" "$name" baseline)
    row "$label" "${v:+$(num "$v") $u}" "${b:+$(num "$b") $u${what:+ ($what)}}" "$(fmt_ratio "$(result "$bench" "$name" ratio)")" "$bench"
}
# One row from two table cells: label bench pattern ours-column baseline-column unit baseline-description
cell_row() {
    local label=$1 bench=$2 pattern=$3 oc=$4 bc=$5 unit=$6 what=$7 ours base
    ours=$(cell "$bench" "$oc" "$pattern" | first_num)
    base=$(cell "$bench" "$bc" "$pattern" | first_num)
    row "$label" "${ours:+$(num "$ours") $unit}" "${base:+$(num "$base") $unit ($what)}" "$(ratio "$ours" "$base")" "$bench"
}

# Rows for a benchmark whose table this script does not know: its RESULT lines if it prints any,
# else "n/a" (present but unparsed, or missing).
generic_rows() {
    local bench=$1 label=$2 lines
    lines=$(md "$bench" | awk '$1 == "RESULT"')
    if [ -n "$lines" ]; then
        while read -r _ name value unit base r; do
            local bcell=""
            [ "$base" != "-" ] && bcell="$(num "$base") $unit"
            row "$label: $name" "$(num "$value") $unit" "$bcell" "$(fmt_ratio "$r")" "$bench"
        done <<<"$lines"
    elif [ -s "$results/$bench.md" ]; then
        row "$label" "" "" "" "$bench (see its own table)"
    else
        row "$label" "" "" "" "$bench (not run)"
    fi
}

summary() {
    echo "## Summary ($started; $(machine))"
    echo
    echo "Ratio = ours ÷ baseline, both from this run: below 1 is better (times, memory); 1/N means"
    echo "N times less than the baseline."
    echo
    echo "| measure | ours | baseline | ratio | from |"
    echo "|---|---:|---|---:|---|"
    local rows m="the same WorkspaceRows + QSortFilterProxyModel"
    rows=$(md bench_model | sed -n 's/^\([0-9][0-9]*\) workspaces.*/\1/p' | head -1)
    result_row "list load, ${rows:-?} rows (CPU)" bench_model load "$m"
    result_row 'filter "a" (first keystroke)' bench_model filter_a "$m"
    result_row 'filter "ab" (next keystroke)' bench_model filter_ab "$m"
    result_row "clear the filter" bench_model filter_clear "$m"
    result_row "sort by runtime (text)" bench_model sort_runtime "$m"
    result_row "sort by updated (time)" bench_model sort_updated "$m"
    result_row "sort by runtime, first click after loading in batches" bench_model sort_after_load "$m"
    result_row "\`cpconsole\` start to a painted list, 100,000 rows" bench_bigload start_to_painted_list_100000_rows "sqlite3 reading the rows"
    result_row "peak RSS, 100,000 rows" bench_bigload peak_rss_100000_rows "the issue's limit"
    result_row "\`cpconsole\` start to a painted list, 1,000,000 rows" bench_bigload start_to_painted_list_1000000_rows "sqlite3 reading the rows"
    result_row "peak RSS, 1,000,000 rows" bench_bigload peak_rss_1000000_rows "the issue's limit"

    local refresh base
    refresh=$(cell bench_consolebuffer 2 '^\| refresh: .*\(bytes\)' | first_num)
    base=$(cell bench_consolebuffer 2 '^\| baseline: ' | first_num)
    row "console buffer: merge a refreshed 256 KiB fetch" "${refresh:+$(num "$refresh") ms}" \
        "${base:+$(num "$base") ms (QString::fromUtf8 + split of the page)}" "$(ratio "$refresh" "$base")" bench_consolebuffer
    if md bench_consoleviewer | grep -q '^RESULT'; then
        generic_rows bench_consoleviewer "console viewer"
    elif [ -s "$results/bench_consoleviewer.md" ]; then
        cell_row "console viewer: refresh, new 256 KiB page, repainted" bench_consoleviewer '^\| \(a\) refresh' 2 4 ms "QPlainTextEdit"
        cell_row "console viewer: append 4 KiB to a full viewer, repainted" bench_consoleviewer '^\| \(b\) append' 2 4 ms "QPlainTextEdit"
        cell_row "console viewer: peak RSS growth" bench_consoleviewer '^\| \(c\) peak RSS' 2 4 MiB "QPlainTextEdit"
    else
        row "console viewer" "" "" "" "bench_consoleviewer (not run)"
    fi
    generic_rows bench_ui_responsiveness "UI responsiveness"

    result_row "status sweep: \`cpctl status --all --concurrency 16\`, wall" bench_status_sweep status_sweep_cpctl "curl --parallel --parallel-max 16"
    result_row "status sweep: same, client CPU time" bench_status_sweep status_sweep_cpctl_cpu "curl"
    result_row "status sweep: CpClient in-process, 16 in flight, wall" bench_status_sweep status_sweep_inprocess "same curl run"
    result_row "sweep at 20 ms vs curl: \`cpctl status --all --concurrency 16\`, CP at \`status.latency=20\`, wall" bench_status_sweep status_sweep_latency_cpctl "curl --parallel --parallel-max 16, same URLs"
    result_row "sweep at 20 ms: same, client CPU time" bench_status_sweep status_sweep_latency_cpctl_cpu "curl"
    result_row "one status call: \`cpctl status ID\`, start to exit" bench_status_sweep status_single_cpctl "one curl call"
    result_row "peak RSS: \`cpctl status --all\` over the sweep" bench_status_sweep status_sweep_peak_rss "curl --parallel"

    generic_rows bench_cpctl_list "cpctl list (SQLite)"
    generic_rows bench_pg_list "cpctl list (PostgreSQL)"

    result_row "cold start: \`cpconsole --demo\` to first paint" coldstart coldstart_first_paint "\`cpconsole --version\`"
    result_row "peak RSS: \`cpconsole --demo\`, 300 workspaces, 3 s" coldstart coldstart_peak_rss ""

    if [ "$soak" = 1 ]; then
        local g s verdict
        g=$(result bench_soak soak_rss_growth value); s=$(result bench_soak soak_rss_slope value)
        verdict=$(md bench_soak | awk '$1 == "VERDICT" { print $3 }')
        row "soak ${soak_seconds} s: RSS growth, 25 % mark → end" "${g:+$(num "$g") %}" "limit 10 %" \
            "$(fmt_ratio "$(result bench_soak soak_rss_growth ratio)")" "bench_soak: ${verdict:-n/a}, slope ${s:+$(num "$s")} KiB/min"
    fi
    echo
    local b2 missing=()
    for b2 in "${benches[@]}"; do
        [ "$b2" = bench_soak ] && [ "$soak" = 0 ] && continue
        wanted "$b2" || continue
        if [ -e "$results/$b2.missing" ]; then missing+=("$b2 (not built)")
        elif [ -s "$results/$b2.rc" ] && [ "$(cat "$results/$b2.rc")" != 0 ]; then missing+=("$b2 (exit $(cat "$results/$b2.rc"))"); fi
    done
    [ ${#missing[@]} -gt 0 ] && echo "Incomplete: ${missing[*]}."
    echo "Each benchmark's own tables: $results/NAME.md (stderr in NAME.log)."
}

summary | tee "$results/summary.md"
# Exit 1 when a benchmark was missing or failed (the soak fails when memory grew).
for b2 in "${benches[@]}"; do
    [ "$b2" = bench_soak ] && [ "$soak" = 0 ] && continue
    wanted "$b2" || continue
    [ -e "$results/$b2.missing" ] && exit 1
    [ -s "$results/$b2.rc" ] && [ "$(cat "$results/$b2.rc")" != 0 ] && exit 1
done
exit 0
