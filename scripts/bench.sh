#!/usr/bin/env bash
# Benchmark of taizhang at 10k, 100k and 1M tasks, with Taskwarrior 2.6 side by side at 100k.
# Writes BENCHMARKS.md (machine, tables, ratios). Rerun by anyone with public tools:
#
#   scripts/bench.sh                          # SIZES="10000 100000 1000000"
#   SIZES="10000 100000" scripts/bench.sh     # skip the million
#
# Settings (environment): SIZES, TW_SIZE (Taskwarrior size, default 100000; it runs when that
# size is in SIZES), TW_PENDING (two-thirds | faithful, see examples/to_taskwarrior.rs), RUNS and
# WARMUP (hyperfine, default 10 and 2; commands slower than SLOW_MS, default 1000, get
# SLOW_RUNS=3 and no warmup), BENCH_DIR (scratch space, default target/bench), BENCH_OUT
# (default BENCHMARKS.md), SEED (generator seed, default 1).
#
# Every taizhang command runs as a whole process on a ledger in the page cache, with the clock
# pinned (TAIZHANG_NOW=2025-12-31T17:00:00+08:00) so that overdue and export are reproducible.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
SIZES=${SIZES:-"10000 100000 1000000"}
TW_SIZE=${TW_SIZE:-100000}
TW_PENDING=${TW_PENDING:-two-thirds}
RUNS=${RUNS:-10}
WARMUP=${WARMUP:-2}
SLOW_MS=${SLOW_MS:-1000}
SLOW_RUNS=${SLOW_RUNS:-3}
SEED=${SEED:-1}
BENCH_DIR=${BENCH_DIR:-$ROOT/target/bench}
BENCH_OUT=${BENCH_OUT:-$ROOT/BENCHMARKS.md}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}

log() { printf '\033[1mbench:\033[0m %s\n' "$*" >&2; }

# --- tools -----------------------------------------------------------------------------------
missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v task >/dev/null || missing+=(taskwarrior)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${missing[@]}"
fi

log "building (release)"
cargo build --release --locked --examples >&2
cargo build --release --locked >&2
TZ_BIN=$TARGET/release/taizhang
GEN=$TARGET/release/examples/gen_ledger
TO_TW=$TARGET/release/examples/to_taskwarrior

mkdir -p "$BENCH_DIR"
export TAIZHANG_NOW="2025-12-31T17:00:00+08:00"
export TAIZHANG_USER="bench"
export NO_COLOR=1

# Owner, area and task used by the interactive commands: the generator's busiest unit and one
# of the ten areas.
OWNER="区司法局"
AREA="行政执法工作体系"

SECTIONS=$(mktemp)
trap 'rm -f "$SECTIONS"' EXIT

# peak CMD... : runs the command once under /usr/bin/time and prints "wall_s rss_mib"; its
# output is kept in $BENCH_DIR/last.log.
peak() {
    local t
    t=$(mktemp)
    /usr/bin/time -f '%e %M' -o "$t" "$@" >"$BENCH_DIR/last.log" 2>&1 || {
        log "command failed: $*"
        cat "$BENCH_DIR/last.log" "$t" >&2
        rm -f "$t"
        return 1
    }
    awk '{ printf "%s %.1f\n", $1, $2 / 1024 }' "$t"
    rm -f "$t"
}

# quote ARGS... : one command line that hyperfine (-N, shell-words) splits back into ARGS.
quote() {
    local a out="" sq="'" esc="'\\''"
    for a in "$@"; do
        out+="'${a//$sq/$esc}' "
    done
    printf '%s' "${out% }"
}

# csv_stats FILE NAME : "median min max" in ms of one command of a hyperfine CSV export.
csv_stats() {
    awk -F, -v name="$2" 'NR > 1 && $1 == name { printf "%.1f %.1f %.1f\n", $4 * 1000, $7 * 1000, $8 * 1000 }' "$1"
}

# measure N NAME PREPARE CMD... : hyperfine one command (PREPARE run before each timing, "" for
# none), plus its peak memory; appends a table row.
ROWS=""
measure() {
    local n=$1 name=$2 prepare=$3
    shift 3
    local json=$BENCH_DIR/hf-$n-$name.json csv=$BENCH_DIR/hf-$n-$name.csv
    [ -z "$prepare" ] || $prepare >/dev/null 2>&1
    local first wall rss
    first=$(peak "$@")
    wall=${first%% *}
    rss=${first##* }
    local runs=$RUNS warm=$WARMUP
    if awk -v w="$wall" -v s="$SLOW_MS" 'BEGIN { exit !(w * 1000 > s) }'; then
        runs=$SLOW_RUNS
        warm=0
    fi
    local cmd
    cmd=$(quote "$@")
    local hf=(hyperfine -N --style basic --warmup "$warm" --runs "$runs" --export-json "$json"
        --export-csv "$csv" -n "$name")
    [ -z "$prepare" ] || hf+=(--prepare "$prepare")
    log "$n: $name ($runs runs)"
    "${hf[@]}" "$cmd" >&2
    read -r med min max < <(csv_stats "$csv" "$name")
    ROWS+="| $name | \`taizhang ${*:4}\` | $med | $min | $max | $rss | $runs |"$'\n'
}

# --- taizhang at each size ---------------------------------------------------------------------
for N in $SIZES; do
    DIR=$BENCH_DIR/n$N
    mkdir -p "$DIR"
    JSONL=$DIR/ledger.jsonl
    DB=$DIR/ledger.db
    rm -f "$DB" "$DB-wal" "$DB-shm"

    log "$N: generating"
    r=$(peak "$GEN" --tasks "$N" --out "$JSONL" --seed "$SEED")
    read -r gen_s gen_rss <<<"$r"
    # "gen_ledger: N tasks, H history rows, …"
    hist=$(sed -n 's/.* tasks, \([0-9]*\) history rows.*/\1/p' "$BENCH_DIR/last.log")
    jsonl_mib=$(du -m "$JSONL" | cut -f1)
    log "$N: importing"
    r=$(peak "$TZ_BIN" --db "$DB" import "$JSONL")
    read -r imp_s imp_rss <<<"$r"
    db_mib=$(du -m "$DB" | cut -f1)

    TZ=("$TZ_BIN" --db "$DB")
    MID=$((N / 2))
    ROWS=""
    measure "$N" add "" "${TZ[@]}" add "落实行政执法三项制度" --kind 承诺 --owner "$OWNER" \
        --deadline 2025-06-30 --area "$AREA" --outline-area FZ05
    measure "$N" update "${TZ_BIN} --db ${DB} update ${MID} --progress 10" \
        "${TZ[@]}" update "$MID" --progress 20
    measure "$N" show "" "${TZ[@]}" show "$MID"
    measure "$N" list "" "${TZ[@]}" list --status doing --owner "$OWNER" --limit 50
    for by in area owner status kind year outline-area; do
        measure "$N" "report-$by" "" "${TZ[@]}" report --by "$by"
    done
    measure "$N" warn "" "${TZ[@]}" warn
    measure "$N" export-csv "" "${TZ[@]}" export --year 2025 --format csv -o "$DIR/f.csv"
    measure "$N" export-xlsx "" "${TZ[@]}" export --year 2025 --format xlsx -o "$DIR/f.xlsx"
    measure "$N" export-jsonl "" "${TZ[@]}" export --format jsonl -o "$DIR/f.jsonl"

    {
        printf '\n## %s tasks\n\n' "$N"
        printf 'Generated %s tasks with %s history rows (%s MiB of JSON Lines) in %s s;' \
            "$N" "$hist" "$jsonl_mib" "$gen_s"
        printf ' the ledger file is %s MiB.\n\n' "$db_mib"
        printf '| step | wall s | peak RSS MiB |\n|---|---:|---:|\n'
        printf '| `gen_ledger --tasks %s` | %s | %s |\n' "$N" "$gen_s" "$gen_rss"
        printf '| `taizhang import ledger.jsonl` (empty ledger) | %s | %s |\n\n' "$imp_s" "$imp_rss"
        printf '| name | command (on `--db ledger.db`) | median ms | min ms | max ms | peak RSS MiB | runs |\n'
        printf '|---|---|---:|---:|---:|---:|---:|\n'
        printf '%s' "$ROWS"
    } >>"$SECTIONS"
done

# --- Taskwarrior side by side --------------------------------------------------------------------
TW_SECTION=""
if [[ " $SIZES " == *" $TW_SIZE "* ]]; then
    DIR=$BENCH_DIR/n$TW_SIZE
    TWDIR=$BENCH_DIR/taskwarrior
    rm -rf "$TWDIR"
    mkdir -p "$TWDIR/data"
    # Defaults, except what a script needs: no confirmation prompts, no news nag.
    printf 'data.location=%s\nconfirmation=off\nnews.version=%s\n' "$TWDIR/data" \
        "$(task --version 2>/dev/null || echo 2.6.2)" >"$TWDIR/taskrc"
    export TASKRC=$TWDIR/taskrc TASKDATA=$TWDIR/data
    "$TO_TW" "$DIR/ledger.jsonl" "$TWDIR/import.json" --pending "$TW_PENDING"
    pending=$(grep -c '"status":"pending"' "$TWDIR/import.json" || true)
    log "taskwarrior: importing $TW_SIZE tasks ($pending pending)"
    r=$(peak task import "$TWDIR/import.json")
    read -r twimp_s twimp_rss <<<"$r"

    DB=$DIR/ledger.db
    TZ=("$TZ_BIN" --db "$DB")
    TW_ROWS=""
    # pair NAME TW-CMD -- TZ-CMD : both in one hyperfine run, with peak memory and the ratio.
    pair() {
        local name=$1
        shift
        local tw=() tz=()
        while [ "$1" != "--" ]; do
            tw+=("$1")
            shift
        done
        shift
        tz=("$@")
        local json=$BENCH_DIR/hf-tw-$name.json csv=$BENCH_DIR/hf-tw-$name.csv
        local tw_rss tz_rss r
        r=$(peak "${tw[@]}")
        tw_rss=${r##* }
        r=$(peak "${tz[@]}")
        tz_rss=${r##* }
        log "taskwarrior: $name"
        hyperfine -N --style basic --warmup "$WARMUP" --runs "$RUNS" --export-json "$json" \
            --export-csv "$csv" -n "task" "$(quote "${tw[@]}")" \
            -n "taizhang" "$(quote "${tz[@]}")" >&2
        local twm tzm
        read -r twm _ _ < <(csv_stats "$csv" task)
        read -r tzm _ _ < <(csv_stats "$csv" taizhang)
        local ratio
        ratio=$(awk -v a="$twm" -v b="$tzm" 'BEGIN { printf "%.1f", a / b }')
        TW_ROWS+="| $name | \`${tw[*]}\` | $twm | $tw_rss | \`taizhang ${tz[*]:3}\` | $tzm | $tz_rss | **${ratio}×** |"$'\n'
    }
    pair add task add "落实行政执法三项制度" "project:$AREA" due:2025-06-30 -- \
        "${TZ[@]}" add "落实行政执法三项制度" --kind 承诺 --owner "$OWNER" --deadline 2025-06-30 \
        --area "$AREA" --outline-area FZ05
    pair "filtered count" task "project:$AREA" status:pending count -- \
        "${TZ[@]}" report --by area --area "$AREA" --format json
    pair "summary by group" task summary -- "${TZ[@]}" report --by area
    TW_SECTION=$(
        printf '\n## Taskwarrior side by side (%s tasks)\n\n' "$TW_SIZE"
        printf 'Taskwarrior %s with its defaults (gc, hooks and recurrence on) except' "$(task --version)"
        printf ' `confirmation=off` and the news nag, on the same %s tasks converted by' "$TW_SIZE"
        printf ' `examples/to_taskwarrior.rs` (mode `%s`: %s pending; project = area, due, entry,' "$TW_PENDING" "$pending"
        printf ' end, tags = kind and outline area). `task import` took %s s and %s MiB.' "$twimp_s" "$twimp_rss"
        printf ' Both tools measured in the same hyperfine run; the taizhang ledger is the one above'
        printf ' (it also holds the full history, which Taskwarrior has not got).\n\n'
        printf '| operation | Taskwarrior | median ms | peak RSS MiB | taizhang | median ms | peak RSS MiB | speed-up |\n'
        printf '|---|---|---:|---:|---|---:|---:|---:|\n'
        printf '%s' "$TW_ROWS"
    )
fi

# --- BENCHMARKS.md -----------------------------------------------------------------------------
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src schema.sql Cargo.toml Cargo.lock 2>/dev/null || rev="$rev (with uncommitted changes)"
{
    printf '# Benchmarks\n\n'
    printf 'Produced by `scripts/bench.sh` (SIZES="%s") on %s. Medians of whole-process commands' "$SIZES" "$(date -u +%Y-%m-%dT%H:%MZ)"
    printf ' measured by hyperfine (`-N`, %s runs after %s warm-ups; commands slower than %s ms:' "$RUNS" "$WARMUP" "$SLOW_MS"
    printf ' %s runs, no warm-up); peak memory is the maximum resident set size of one run from' "$SLOW_RUNS"
    printf ' `/usr/bin/time -f %%M`. The ledger file is in the page cache; the clock is pinned to'
    printf ' 2025-12-31 17:00 (+08:00). Writing commands (`add`, `update`) commit with'
    printf ' `synchronous=FULL`; `update` alternates the progress of one task (a `--prepare` step'
    printf ' sets it back), so every measured run writes.\n\n'
    printf '## Machine\n\n'
    printf '| | |\n|---|---|\n'
    printf '| CPU | %s |\n' "$cpu"
    printf '| cores (`nproc`) | %s |\n' "$(nproc)"
    printf '| memory (`free -h`) | %s total, %s available |\n' \
        "$(free -h | awk '/^Mem:/ { print $2 }')" "$(free -h | awk '/^Mem:/ { print $7 }')"
    printf '| rustc | %s |\n' "$(rustc --version)"
    printf '| taizhang | %s |\n' "$rev"
    printf '| hyperfine | %s |\n' "$(hyperfine --version)"
    printf '| SQLite | bundled with rusqlite (see Cargo.lock) |\n'
    printf '| load | %s (other work may share the machine) |\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
    cat "$SECTIONS"
    printf '%s\n' "$TW_SECTION"
} >"$BENCH_OUT"
log "wrote $BENCH_OUT"
