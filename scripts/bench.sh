#!/usr/bin/env bash
# Benchmark of taizhang at 10k, 100k and 1M tasks, with Taskwarrior 2.6 side by side at 100k and
# a floor for each interactive row: the same answer computed by the sqlite3 shell on the same
# file in the same hyperfine run. Writes BENCHMARKS.md (machine, tables, ratios, the targets of
# issue 18 met or not). Rerun by anyone with public tools on a fresh Debian machine (it installs
# hyperfine, taskwarrior, sqlite3 and time):
#
#   scripts/bench.sh                          # SIZES="10000 100000 1000000"
#   SIZES="10000 100000" scripts/bench.sh     # skip the million
#   ONLY='report|asof' SIZES=1000000 scripts/bench.sh   # only the rows whose name matches
#
# Settings (environment): SIZES, ONLY (an extended regular expression over the row names, e.g.
# `report-owner-year`, `asof-`, `export-fill`, `carry-over`, `outline`, `check`, `tw`; the
# JSON Lines import of each size is always measured), TW_SIZE (Taskwarrior size, default
# 100000; it runs when that size is in SIZES and ONLY picks `tw`), TW_PENDING (two-thirds |
# faithful, see examples/to_taskwarrior.rs), RUNS and WARMUP (hyperfine, default 10 and 2;
# commands slower than SLOW_MS, default 1000, get SLOW_RUNS=3 and no warmup), BENCH_DIR
# (scratch space, default target/bench), BENCH_OUT (default BENCHMARKS.md), SEED (generator
# seed, default 1).
#
# Generated JSON Lines and imported ledgers are cached in BENCH_DIR/cache, keyed by size, seed,
# schema version and a hash of the generator and schema, so a rerun skips what is unchanged
# (the import is still measured, once, on every run). Every command runs on a copy of the
# cached ledger; carry-over gets a fresh copy for each run.
#
# Every taizhang command runs as a whole process on a ledger in the page cache, with the clock
# pinned (TAIZHANG_NOW=2025-12-31T17:00:00+08:00) so that overdue and export are reproducible.
# A row that fails says why in the table, and the run goes on.
# Backticks in single quotes are Markdown code spans for BENCHMARKS.md, not command substitutions.
# shellcheck disable=SC2016
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
ONLY=${ONLY:-}
BENCH_DIR=${BENCH_DIR:-$ROOT/target/bench}
BENCH_OUT=${BENCH_OUT:-$ROOT/BENCHMARKS.md}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}

log() { printf '\033[1mbench:\033[0m %s\n' "$*" >&2; }

# --- tools -----------------------------------------------------------------------------------
missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v task >/dev/null || missing+=(taskwarrior)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
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
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date -u +%Y-%m-%dT%H:%MZ)
export TAIZHANG_NOW="2025-12-31T17:00:00+08:00"
export TAIZHANG_USER="bench"
export NO_COLOR=1

# Owner, area and task used by the interactive commands: the generator's busiest unit, one of
# the ten areas, an alias of the unit made in the setup, and the day the as-of views replay to.
OWNER="区司法局"
ALIAS="司法局"
AREA="行政执法工作体系"
AS_OF="2024-06-30"
# The first moment after AS_OF in the ledger's text form, for the floors' history cut-offs.
AS_OF_NEXT="2024-07-01"
TODAY="2025-12-31"

SECTIONS=$(mktemp)
trap 'rm -f "$SECTIONS"' EXIT

# want NAME : whether the row NAME is picked by ONLY (an extended regular expression over the
# row names, e.g. ONLY='report|asof'; empty picks every row).
want() { [ -z "$ONLY" ] || [[ $1 =~ $ONLY ]]; }

# peak CMD... : runs the command once under /usr/bin/time and prints "wall_s rss_mib"; its
# output is kept in $BENCH_DIR/last.log.
peak() {
    local t
    t=$(mktemp)
    /usr/bin/time -f '%e %M' -o "$t" "$@" >"$BENCH_DIR/last.log" 2>&1 || {
        log "command failed: $*"
        tail -n 5 "$BENCH_DIR/last.log" >&2
        rm -f "$t"
        return 1
    }
    awk '{ printf "%s %.1f\n", $1, $2 / 1024 }' "$t"
    rm -f "$t"
}

# why : the last line of the last failed command's output, for the table (pipes escaped).
why() { tail -n 1 "$BENCH_DIR/last.log" 2>/dev/null | tr '|' '/' | cut -c1-160; }

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

# human N : 10000 → 10k, 1000000 → 1M.
human() {
    case $1 in
    *000000) printf '%sM' "${1%000000}" ;;
    *000) printf '%sk' "${1%000}" ;;
    *) printf '%s' "$1" ;;
    esac
}

# The next row's target and floor, set just before `measure` and cleared by it:
#   target MS SIZE [RSS_MIB] : the row should take at most MS ms (0: no time target) and at
#                              most RSS_MIB of memory, at SIZE tasks;
#   floor SQL [rw]           : the same answer computed by the sqlite3 shell on the same file
#                              (rw: it writes, so it opens the file read-write).
T_MS="" T_AT="" T_RSS="" FLOOR="" FLOOR_RW=""
target() { T_MS=$1 T_AT=$2 T_RSS=${3:-}; }
floor() { FLOOR=$1 FLOOR_RW=${2:-}; }

# verdict N MED RSS : sets VERDICT to the target and met/not met cells of the next row, and
# adds a line to the summary when N is the size the target is for. (It sets a variable rather
# than printing, as a command substitution would run it in a subshell and lose the summary.)
TARGETS=""
VERDICT=""
verdict() {
    local n=$1 med=$2 rss=$3 want_s="" ok=1
    if [ -z "$T_AT" ]; then
        VERDICT='| | '
        return
    fi
    if [ "${T_MS:-0}" != 0 ]; then
        want_s="≤ ${T_MS} ms"
        awk -v m="$med" -v t="$T_MS" 'BEGIN { exit !(m > t) }' && ok=0
    fi
    if [ -n "$T_RSS" ]; then
        want_s+="${want_s:+, }≤ ${T_RSS} MiB"
        awk -v m="$rss" -v t="$T_RSS" 'BEGIN { exit !(m > t) }' && ok=0
    fi
    want_s+=" at $(human "$T_AT")"
    if [ "$n" != "$T_AT" ]; then
        VERDICT="| $want_s | (at $(human "$T_AT")) "
        return
    fi
    local met="met"
    [ $ok = 1 ] || met="**not met**"
    VERDICT="| $want_s | $met "
    TARGETS+="| $CUR_NAME | $(human "$n") | $med ms, $rss MiB | $want_s | $met |"$'\n'
}

# The floors' SQL, once per row name, for the section that lists them.
FLOOR_SQL=""
declare -A FLOOR_SEEN=()

# measure N NAME PREPARE CMD... : hyperfine one command (PREPARE, a shell command line, run
# before each timing; "" for none) together with its floor when one is set, plus its peak
# memory; appends a table row. A command that fails leaves a row that says why, and the run
# goes on.
ROWS=""
measure() {
    local n=$1 name=$2 prepare=$3
    shift 3
    CUR_NAME=$name
    local shown="taizhang ${*:4}"
    shown=${shown//$DIR\//}
    if ! want "$name"; then
        T_MS="" T_AT="" T_RSS="" FLOOR="" FLOOR_RW=""
        return 0
    fi
    ROW_NO=$((ROW_NO + 1))
    log "$(human "$n") [$ROW_NO]: $name"
    local json=$BENCH_DIR/hf-$n-$name.json csv=$BENCH_DIR/hf-$n-$name.csv
    [ -z "$prepare" ] || sh -c "$prepare" >/dev/null 2>&1 || true
    local first wall rss
    if ! first=$(peak "$@"); then
        ROWS+="| $name | \`$shown\` | failed: $(why) | | | | | | | | |"$'\n'
        T_MS="" T_AT="" T_RSS="" FLOOR="" FLOOR_RW=""
        return 0
    fi
    wall=${first%% *}
    rss=${first##* }
    local runs=$RUNS warm=$WARMUP
    if awk -v w="$wall" -v s="$SLOW_MS" 'BEGIN { exit !(w * 1000 > s) }'; then
        runs=$SLOW_RUNS
        warm=0
    fi
    local hf=(hyperfine -N --style basic --warmup "$warm" --runs "$runs" --export-json "$json"
        --export-csv "$csv")
    [ -z "$prepare" ] || hf+=(--prepare "sh -c $(quote "$prepare")")
    hf+=(-n "$name" "$(quote "$@")")
    local fl=()
    if [ -n "$FLOOR" ]; then
        if [ -n "$FLOOR_RW" ]; then
            fl=(sqlite3 "${DB}" "$FLOOR")
        else
            fl=(sqlite3 -readonly "${DB}" "$FLOOR")
        fi
        hf+=(-n floor "$(quote "${fl[@]}")")
        if [ -z "${FLOOR_SEEN[$name]:-}" ]; then
            FLOOR_SEEN[$name]=1
            FLOOR_SQL+="| $name | \`${FLOOR//|/\\|}\` |"$'\n'
        fi
    fi
    if ! "${hf[@]}" >"$BENCH_DIR/last.log" 2>&1; then
        log "hyperfine failed for $name"
        tail -n 5 "$BENCH_DIR/last.log" >&2
        ROWS+="| $name | \`$shown\` | failed: $(why) | | | $rss | | | | | |"$'\n'
        T_MS="" T_AT="" T_RSS="" FLOOR="" FLOOR_RW=""
        return 0
    fi
    local med min max fmed="" ratio=""
    read -r med min max < <(csv_stats "$csv" "$name")
    if [ -n "$FLOOR" ]; then
        read -r fmed _ _ < <(csv_stats "$csv" floor)
        ratio=$(awk -v a="$med" -v b="$fmed" 'BEGIN { if (b > 0) printf "%.1f×", a / b }')
    fi
    verdict "$n" "$med" "$rss"
    ROWS+="| $name | \`$shown\` | $med | $min | $max | $rss | $runs | $fmed | $ratio $VERDICT|"$'\n'
    T_MS="" T_AT="" T_RSS="" FLOOR="" FLOOR_RW=""
}

# once N NAME NOTE CMD... : one run of a long command (its wall time and peak memory), as a row
# of the same table; NOTE says why it is run once.
once() {
    local n=$1 name=$2 note=$3
    shift 3
    CUR_NAME=$name
    if ! want "$name"; then
        T_MS="" T_AT="" T_RSS="" FLOOR="" FLOOR_RW=""
        return 0
    fi
    ROW_NO=$((ROW_NO + 1))
    log "$(human "$n") [$ROW_NO]: $name (one run)"
    local r
    if ! r=$(peak "$@"); then
        ROWS+="| $name | \`taizhang ${*:4}\` | failed: $(why) | | | | | | | | |"$'\n'
        T_MS="" T_AT="" T_RSS="" FLOOR="" FLOOR_RW=""
        return 0
    fi
    local wall=${r%% *} rss=${r##* } ms
    ms=$(awk -v w="$wall" 'BEGIN { printf "%.1f", w * 1000 }')
    verdict "$n" "$ms" "$rss"
    ROWS+="| $name | \`taizhang ${*:4}\` ($note) | $ms | | | $rss | 1 | | $VERDICT|"$'\n'
    T_MS="" T_AT="" T_RSS="" FLOOR="" FLOOR_RW=""
}

# The cache key of generated and imported ledgers: the generator, the schema and its version.
SCHEMA_VERSION=$(sed -n 's/.*CURRENT_VERSION: i64 = \([0-9]*\);.*/\1/p' src/db/schema.rs)
GEN_KEY=$(cat examples/gen_ledger.rs schema.sql src/db/schema.rs | sha256sum | cut -c1-12)
HAS_DOCX=0
"$TZ_BIN" export --help 2>/dev/null | grep -qw docx && HAS_DOCX=1

# Columns of the per-size tables (the target columns are filled by `verdict`).
HEAD='| name | command (on `--db ledger.db`) | median ms | min ms | max ms | peak RSS MiB | runs | floor ms | ×floor | target | met |'
RULE='|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|'

# --- taizhang at each size ---------------------------------------------------------------------
ROW_NO=0
for N in $SIZES; do
    DIR=$BENCH_DIR/n$N
    CACHE=$BENCH_DIR/cache/n$N-seed$SEED-v$SCHEMA_VERSION-$GEN_KEY
    mkdir -p "$DIR" "$CACHE"
    JSONL=$CACHE/ledger.jsonl
    PRISTINE=$CACHE/ledger.db
    DB=$DIR/work.db

    if [ -s "$JSONL" ] && [ -s "$CACHE/gen.txt" ]; then
        log "$(human "$N"): generated JSON Lines cached in $CACHE"
    else
        log "$(human "$N"): generating"
        rm -f "$CACHE"/*
        r=$(peak "$GEN" --tasks "$N" --out "$JSONL.tmp" --seed "$SEED")
        mv "$JSONL.tmp" "$JSONL"
        # "gen_ledger: N tasks, H history rows, …"
        printf '%s %s\n' "$r" "$(sed -n 's/.* tasks, \([0-9]*\) history rows.*/\1/p' "$BENCH_DIR/last.log")" >"$CACHE/gen.txt"
    fi
    read -r gen_s gen_rss hist <"$CACHE/gen.txt"
    jsonl_mib=$(du -m "$JSONL" | cut -f1)

    # The import is measured on every run (one run: it is the slowest step); its result becomes
    # the cached ledger when there is none yet.
    log "$(human "$N"): importing (measured)"
    rm -f "$DIR/import.db" "$DIR/import.db-wal" "$DIR/import.db-shm"
    if r=$(peak "$TZ_BIN" --db "$DIR/import.db" import "$JSONL"); then
        read -r imp_s imp_rss <<<"$r"
    else
        imp_s="failed: $(why)" imp_rss=""
    fi
    if [ ! -s "$PRISTINE" ] && [ -s "$DIR/import.db" ]; then
        mv "$DIR/import.db" "$PRISTINE"
    fi
    rm -f "$DIR/import.db" "$DIR/import.db-wal" "$DIR/import.db-shm"
    if [ ! -s "$PRISTINE" ]; then
        log "$(human "$N"): no ledger to measure, skipping this size"
        printf '\n## %s tasks\n\nThe import failed (%s); nothing else was measured.\n' "$N" "$imp_s" >>"$SECTIONS"
        continue
    fi
    db_mib=$(du -m "$PRISTINE" | cut -f1)

    # Every command runs on a copy of the cached ledger, which stays as imported; the setup
    # gives the busiest unit an alias.
    log "$(human "$N"): copying the ledger"
    rm -f "$DB" "$DB-wal" "$DB-shm"
    cp "$PRISTINE" "$DB"
    TZ=("$TZ_BIN" --db "$DB")
    "${TZ[@]}" unit alias "$OWNER" "$ALIAS" >/dev/null || log "unit alias failed"
    MID=$((N / 2))
    OWNED="SELECT task_id FROM task_unit WHERE name = '$OWNER'"
    ROWS=""

    # Reads first, so that the raw inserts of the write floors (last) cannot change them.
    floor "SELECT * FROM task WHERE id = $MID; SELECT * FROM task WHERE parent_id = $MID ORDER BY id; SELECT * FROM link WHERE task_id = $MID OR shortcoming_id = $MID; SELECT * FROM history WHERE task_id = $MID ORDER BY coalesce(effective, at), id;"
    measure "$N" show "" "${TZ[@]}" show "$MID"
    floor "SELECT * FROM task WHERE status = 'doing' AND id IN ($OWNED) ORDER BY id LIMIT 50;"
    measure "$N" list "" "${TZ[@]}" list --status doing --owner "$OWNER" --limit 50
    target 30 1000000
    floor "SELECT * FROM task WHERE id IN (SELECT task_id FROM task_unit WHERE name IN (SELECT name FROM unit WHERE id = (SELECT unit_id FROM unit_alias WHERE alias = '$ALIAS') UNION SELECT alias FROM unit_alias WHERE unit_id = (SELECT unit_id FROM unit_alias WHERE alias = '$ALIAS'))) ORDER BY id LIMIT 50;"
    measure "$N" list-alias "" "${TZ[@]}" list --owner "$ALIAS" --limit 50
    for by in area owner status kind year outline-area; do
        col=${by/-/_}
        grp="$col, status"
        [ "$by" = status ] && grp=status
        floor "SELECT $col, status, count(*), sum(deadline < '$TODAY'), total(progress) FROM task GROUP BY $grp;"
        measure "$N" "report-$by" "" "${TZ[@]}" report --by "$by"
    done
    # Filtered progress tables: one filter with each grouping, then two filters.
    for by in area owner status kind year outline-area; do
        col=${by/-/_}
        grp="$col, status"
        [ "$by" = status ] && grp=status
        target 60 1000000
        floor "SELECT $col, status, count(*), sum(deadline < '$TODAY'), total(progress) FROM task WHERE id IN ($OWNED) GROUP BY $grp;"
        measure "$N" "report-$by-owner" "" "${TZ[@]}" report --by "$by" --owner "$OWNER"
    done
    target 60 1000000
    floor "SELECT owner, status, count(*), sum(deadline < '$TODAY'), total(progress) FROM task WHERE year = 2025 GROUP BY owner, status;"
    measure "$N" report-owner-year "" "${TZ[@]}" report --by owner --year 2025
    target 150 1000000
    floor "SELECT status, count(*), sum(deadline < '$TODAY'), total(progress) FROM task WHERE area = '$AREA' AND id IN ($OWNED) GROUP BY status;"
    measure "$N" report-status-area-owner "" "${TZ[@]}" report --by status --area "$AREA" --owner "$OWNER"
    target 150 1000000
    floor "SELECT area, status, count(*), sum(deadline < '$TODAY'), total(progress) FROM task WHERE year = 2025 AND id IN ($OWNED) GROUP BY area, status;"
    measure "$N" report-area-year-owner "" "${TZ[@]}" report --by area --year 2025 --owner "$OWNER"
    floor "SELECT count(*) FROM task WHERE status IN ('todo', 'doing', 'blocked') AND deadline < '$TODAY'; SELECT * FROM task WHERE status IN ('todo', 'doing', 'blocked') AND deadline <= date('$TODAY', '+30 days') ORDER BY deadline, id LIMIT 100;"
    measure "$N" warn "" "${TZ[@]}" warn

    # As-of views: the floor replays each task's last status row on or before the day.
    STATUS_THEN="coalesce((SELECT h.new FROM history h WHERE h.task_id = t.id AND h.field = 'status' AND coalesce(h.effective, h.at) < '$AS_OF_NEXT' ORDER BY coalesce(h.effective, h.at) DESC, h.id DESC LIMIT 1), 'todo')"
    target 50 1000000
    floor "SELECT t.*, $STATUS_THEN FROM task t WHERE t.id IN ($OWNED) AND t.created_at < '$AS_OF_NEXT' ORDER BY t.id LIMIT 50;"
    measure "$N" asof-list "" "${TZ[@]}" list --owner "$OWNER" --limit 50 --as-of "$AS_OF"
    target 50 1000000
    floor "SELECT * FROM task WHERE id = $MID; SELECT * FROM history WHERE task_id = $MID AND coalesce(effective, at) < '$AS_OF_NEXT' ORDER BY coalesce(effective, at), id;"
    measure "$N" asof-show "" "${TZ[@]}" show "$MID" --as-of "$AS_OF"
    target 2000 1000000
    floor "SELECT owner, s, count(*) FROM (SELECT t.owner, $STATUS_THEN AS s FROM task t WHERE t.created_at < '$AS_OF_NEXT') GROUP BY owner, s;"
    measure "$N" asof-report-owner "" "${TZ[@]}" report --by owner --as-of "$AS_OF"
    target 2000 1000000
    floor "SELECT * FROM (SELECT t.*, $STATUS_THEN AS s FROM task t WHERE t.created_at < '$AS_OF_NEXT' AND t.deadline <= date('$AS_OF', '+30 days')) WHERE s IN ('todo', 'doing', 'blocked') ORDER BY deadline, id;"
    measure "$N" asof-warn "" "${TZ[@]}" warn --as-of "$AS_OF"

    target 60000 1000000 64
    once "$N" check "constant memory" "${TZ[@]}" check

    # Exports (no floor: they are files, not queries).
    measure "$N" export-csv "" "${TZ[@]}" export --year 2025 --format csv -o "$DIR/f.csv"
    target 0 1000000 64
    measure "$N" export-xlsx "" "${TZ[@]}" export --year 2025 --format xlsx -o "$DIR/f.xlsx"
    if [ "$HAS_DOCX" = 1 ]; then
        target 0 1000000 64
        measure "$N" export-docx "" "${TZ[@]}" export --year 2025 --format docx -o "$DIR/f.docx"
    elif want export-docx; then
        log "skipped: docx export not in this build"
        ROWS+="| export-docx | \`taizhang export --year 2025 --format docx\` | skipped: docx export not in this build | | | | | | | ≤ 64 MiB at 1M | |"$'\n'
    fi
    measure "$N" export-jsonl "" "${TZ[@]}" export --format jsonl -o "$DIR/f.jsonl"
    target 1000 1000000
    measure "$N" export-fill "" "${TZ[@]}" export --fill --owner "$OWNER" -o "$DIR/fill.xlsx"
    target 30000 1000000
    measure "$N" outline "" "${TZ[@]}" export --outline 2021-2025 -o "$DIR/outline.md"
    rm -f "$DIR"/f.* "$DIR/fill.xlsx" "$DIR/outline.md"

    # carry-over writes: each run gets a fresh copy of the cached ledger.
    CARRY=$DIR/carry.db
    target 30000 100000
    measure "$N" carry-over "rm -f $CARRY $CARRY-wal $CARRY-shm; cp $PRISTINE $CARRY" \
        "$TZ_BIN" --db "$CARRY" carry-over --from 2024
    moved=$(sqlite3 -readonly "$PRISTINE" "SELECT count(*) FROM task WHERE year = 2024 AND status NOT IN ('done', 'verified', 'cancelled')" 2>/dev/null || echo "?")
    rm -f "$CARRY" "$CARRY-wal" "$CARRY-shm"

    # Writes last. Their floors are the rows a hand-written program would write in one durable
    # transaction: the change, the task (or its new progress), the history row and the running
    # counts.
    NOW_TS=$TAIZHANG_NOW
    TALLY_ADD=""
    for g in "area:$AREA" "owner:$OWNER" "status:todo" "kind:commitment" "year:2025" "outline-area:FZ05"; do
        TALLY_ADD+="INSERT INTO tally VALUES ('${g%%:*}', '${g#*:}', 'todo', 1, 0, (SELECT max(id) FROM task)) ON CONFLICT (grouping, key, status) DO UPDATE SET n = n + 1; "
    done
    floor "PRAGMA synchronous = FULL; BEGIN IMMEDIATE; INSERT INTO change (at, actor, command) VALUES ('$NOW_TS', 'bench', 'add'); INSERT INTO task (kind, title, area, outline_area, owner, status, progress, deadline, year, created_at, updated_at) VALUES ('commitment', '落实行政执法三项制度', '$AREA', 'FZ05', '$OWNER', 'todo', 0, '2025-06-30', 2025, '$NOW_TS', '$NOW_TS'); INSERT INTO task_unit VALUES ('$OWNER', 'lead', (SELECT max(id) FROM task)); INSERT INTO history (change_id, task_id, at, actor, field, new) VALUES ((SELECT max(id) FROM change), (SELECT max(id) FROM task), '$NOW_TS', 'bench', 'created', '{}'); ${TALLY_ADD}COMMIT;" rw
    measure "$N" add "" "${TZ[@]}" add "落实行政执法三项制度" --kind 承诺 --owner "$OWNER" \
        --deadline 2025-06-30 --area "$AREA" --outline-area FZ05
    floor "PRAGMA synchronous = FULL; BEGIN IMMEDIATE; INSERT INTO change (at, actor, command) VALUES ('$NOW_TS', 'bench', 'update'); INSERT INTO history (change_id, task_id, at, actor, field, old, new) SELECT (SELECT max(id) FROM change), id, '$NOW_TS', 'bench', 'progress', progress, 20 FROM task WHERE id = $MID; UPDATE tally SET progress = progress + 20 - (SELECT progress FROM task WHERE id = $MID) WHERE (grouping, key, status) IN (SELECT 'area', area, status FROM task WHERE id = $MID UNION ALL SELECT 'owner', owner, status FROM task WHERE id = $MID UNION ALL SELECT 'status', status, status FROM task WHERE id = $MID UNION ALL SELECT 'kind', kind, status FROM task WHERE id = $MID UNION ALL SELECT 'year', year, status FROM task WHERE id = $MID UNION ALL SELECT 'outline-area', outline_area, status FROM task WHERE id = $MID); UPDATE task SET progress = 20, updated_at = '$NOW_TS' WHERE id = $MID; COMMIT;" rw
    measure "$N" update "${TZ_BIN} --db ${DB} update ${MID} --progress 10" \
        "${TZ[@]}" update "$MID" --progress 20

    {
        printf '\n## %s tasks\n\n' "$N"
        printf 'Generated %s tasks with %s history rows (%s MiB of JSON Lines) in %s s' \
            "$N" "$hist" "$jsonl_mib" "$gen_s"
        printf ' (cached in `%s` and reused while the generator and schema are unchanged);' "${CACHE#"$ROOT"/}"
        printf ' the ledger file is %s MiB; `carry-over --from 2024` carries its %s open tasks of 2024 into 2025.\n\n' "$db_mib" "$moved"
        printf '| step | wall s | peak RSS MiB | target |\n|---|---:|---:|---|\n'
        printf '| `gen_ledger --tasks %s` | %s | %s | |\n' "$N" "$gen_s" "$gen_rss"
        imp_t="" imp_met=""
        if [ "$N" = 1000000 ]; then
            imp_t="≤ 20 s, ≤ 64 MiB at 1M"
            imp_met=$(awk -v s="$imp_s" -v m="$imp_rss" 'BEGIN { print (s + 0 > 0 && s <= 20 && m <= 64) ? "met" : "**not met**" }')
            TARGETS+="| import (JSON Lines) | 1M | $imp_s s, $imp_rss MiB | $imp_t | $imp_met |"$'\n'
        fi
        printf '| `taizhang import ledger.jsonl` (empty ledger; measured on every run, one run) | %s | %s | %s %s |\n\n' \
            "$imp_s" "$imp_rss" "$imp_t" "$imp_met"
        printf '%s\n%s\n' "$HEAD" "$RULE"
        printf '%s' "$ROWS"
    } >>"$SECTIONS"
done

# --- Taskwarrior side by side --------------------------------------------------------------------
TW_SECTION=""
if [[ " $SIZES " == *" $TW_SIZE "* ]] && want tw && [ -s "$BENCH_DIR/n$TW_SIZE/work.db" ]; then
    DIR=$BENCH_DIR/n$TW_SIZE
    TW_JSONL=$(ls "$BENCH_DIR"/cache/n"$TW_SIZE"-seed"$SEED"-v"$SCHEMA_VERSION"-"$GEN_KEY"/ledger.jsonl)
    TWDIR=$BENCH_DIR/taskwarrior
    rm -rf "$TWDIR"
    mkdir -p "$TWDIR/data"
    # Defaults, except what a script needs: no confirmation prompts, no news nag.
    printf 'data.location=%s\nconfirmation=off\nnews.version=%s\n' "$TWDIR/data" \
        "$(task --version 2>/dev/null || echo 2.6.2)" >"$TWDIR/taskrc"
    export TASKRC=$TWDIR/taskrc TASKDATA=$TWDIR/data
    "$TO_TW" "$TW_JSONL" "$TWDIR/import.json" --pending "$TW_PENDING"
    pending=$(grep -c '"status":"pending"' "$TWDIR/import.json" || true)
    log "taskwarrior: importing $TW_SIZE tasks ($pending pending)"
    if r=$(peak task import "$TWDIR/import.json"); then
        read -r twimp_s twimp_rss <<<"$r"
    else
        twimp_s="(failed: $(why))" twimp_rss="?"
    fi

    DB=$DIR/work.db
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
        log "taskwarrior: $name"
        if ! r=$(peak "${tw[@]}"); then
            TW_ROWS+="| $name | \`${tw[*]}\` | failed: $(why) | | | | | |"$'\n'
            return 0
        fi
        tw_rss=${r##* }
        if ! r=$(peak "${tz[@]}"); then
            TW_ROWS+="| $name | \`${tw[*]}\` | | $tw_rss | \`taizhang ${tz[*]:3}\` | failed: $(why) | | |"$'\n'
            return 0
        fi
        tz_rss=${r##* }
        if ! hyperfine -N --style basic --warmup "$WARMUP" --runs "$RUNS" --export-json "$json" \
            --export-csv "$csv" -n "task" "$(quote "${tw[@]}")" \
            -n "taizhang" "$(quote "${tz[@]}")" >"$BENCH_DIR/last.log" 2>&1; then
            TW_ROWS+="| $name | \`${tw[*]}\` | failed: $(why) | $tw_rss | \`taizhang ${tz[*]:3}\` | | $tz_rss | |"$'\n'
            return 0
        fi
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
    printf 'Produced by `scripts/bench.sh` (SIZES="%s"%s) from %s to %s. Medians of whole-process commands' \
        "$SIZES" "${ONLY:+, ONLY=\"$ONLY\"}" "$START" "$(date -u +%Y-%m-%dT%H:%MZ)"
    printf ' measured by hyperfine (`-N`, %s runs after %s warm-ups; commands slower than %s ms:' "$RUNS" "$WARMUP" "$SLOW_MS"
    printf ' %s runs, no warm-up); peak memory is the maximum resident set size of one run from' "$SLOW_RUNS"
    printf ' `/usr/bin/time -f %%M`. The ledger file is in the page cache; the clock is pinned to'
    printf ' 2025-12-31 17:00 (+08:00). Writing commands (`add`, `update`) commit with'
    printf ' `synchronous=FULL`; `update` alternates the progress of one task (a `--prepare` step'
    printf ' sets it back), so every measured run writes; they run after the reads, on a copy of'
    printf ' the ledger.\n\n'
    printf 'Each interactive row has a **floor**: the same answer computed by the sqlite3'
    printf ' command-line shell (`sqlite3 -readonly ledger.db SQL`; the write floors open it'
    printf ' read-write) in the same hyperfine run, so `×floor` reads as the cost of taizhang over the'
    printf ' query a hand-written program would run (the SQL is listed below). Targets are those of'
    printf ' issue 18; "met" is computed by the script at the size the target is for.\n\n'
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
    printf '| sqlite3 shell | %s |\n' "$(sqlite3 --version | cut -d' ' -f1)"
    printf '| load (1, 5, 15 min) | at the start %s, at the end %s (other work may share the machine) |\n' \
        "$LOAD_START" "$(cut -d' ' -f1-3 /proc/loadavg)"
    if [ -n "$TARGETS" ]; then
        printf '\n## Targets\n\n'
        printf 'Each target at the size it is for (rows of sizes that were not run are missing).\n\n'
        printf '| row | size | measured (median, peak RSS) | target | |\n|---|---|---|---|---|\n'
        printf '%s' "$TARGETS"
    fi
    cat "$SECTIONS"
    printf '%s\n' "$TW_SECTION"
    if [ -n "$FLOOR_SQL" ]; then
        printf '\n## Floors\n\n'
        printf 'The SQL each floor runs (`sqlite3 -readonly ledger.db "SQL"`; write floors'
        printf ' read-write), with the first size'"'"'s task id; ids scale with the size (N/2).'
        printf ' The as-of floors take each task'"'"'s last status row on or before the day.\n\n'
        printf '| row | SQL |\n|---|---|\n'
        printf '%s' "$FLOOR_SQL"
    fi
    # Sections measured by hand (profiles, designs, before/after of one change) are kept in
    # their own file, so that regenerating the tables above does not lose them.
    if [ -f "$ROOT/scripts/bench-notes.md" ]; then
        printf '\n'
        cat "$ROOT/scripts/bench-notes.md"
    fi
} >"$BENCH_OUT"
log "wrote $BENCH_OUT"
