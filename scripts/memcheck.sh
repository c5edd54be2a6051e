#!/usr/bin/env bash
# Bounded-memory check of bulk import and export, from outside the process: generates a large
# ledger (200,000 tasks by default), imports it into an empty ledger, exports it again as JSON
# Lines and one year as CSV, and checks each step's peak resident set size (/usr/bin/time -f
# %M) against a ceiling. Also checks that the JSON Lines round trip is exact (the export of the
# imported file is the file, byte for byte). Exits 1 when a step is over its ceiling or the
# round trip differs.
#
#   scripts/memcheck.sh
#   TASKS=500000 JSONL_CEILING_MIB=64 CSV_CEILING_MIB=64 scripts/memcheck.sh
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
TASKS=${TASKS:-200000}
JSONL_CEILING_MIB=${JSONL_CEILING_MIB:-64}
CSV_CEILING_MIB=${CSV_CEILING_MIB:-64}
WORK=${MEMCHECK_DIR:-$ROOT/target/memcheck}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}

if [ ! -x /usr/bin/time ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y time
fi

cargo build --release --locked --examples >&2
cargo build --release --locked >&2
TZ_BIN=$TARGET/release/taizhang
GEN=$TARGET/release/examples/gen_ledger

mkdir -p "$WORK"
DB=$WORK/ledger.db
rm -f "$DB" "$DB-wal" "$DB-shm"
export TAIZHANG_NOW="2025-12-31T17:00:00+08:00" TAIZHANG_USER=memcheck NO_COLOR=1

failed=0
# step NAME CEILING_MIB CMD... : runs CMD under /usr/bin/time and checks its peak RSS.
step() {
    local name=$1 ceiling=$2
    shift 2
    local t
    t=$(mktemp)
    if ! /usr/bin/time -f '%e %M' -o "$t" "$@" >"$WORK/$name.log" 2>&1; then
        echo "memcheck: $name failed:" >&2
        cat "$WORK/$name.log" "$t" >&2
        exit 1
    fi
    local wall kib mib verdict=ok
    read -r wall kib <"$t"
    rm -f "$t"
    mib=$(awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }')
    if [ "$ceiling" != "-" ] && awk -v m="$mib" -v c="$ceiling" 'BEGIN { exit !(m > c) }'; then
        verdict="OVER"
        failed=1
    fi
    printf '%-28s %8s s %9s MiB  (ceiling %s MiB)  %s\n' "$name" "$wall" "$mib" "$ceiling" "$verdict"
}

echo "memcheck: $TASKS tasks in $WORK"
step generate - "$GEN" --tasks "$TASKS" --out "$WORK/in.jsonl"
step import-jsonl "$JSONL_CEILING_MIB" "$TZ_BIN" --db "$DB" import "$WORK/in.jsonl"
step export-jsonl "$JSONL_CEILING_MIB" "$TZ_BIN" --db "$DB" export --format jsonl -o "$WORK/out.jsonl"
step export-jsonl-2025 "$JSONL_CEILING_MIB" "$TZ_BIN" --db "$DB" export --format jsonl --year 2025 \
    -o "$WORK/out-2025.jsonl"
step export-csv-2025 "$CSV_CEILING_MIB" "$TZ_BIN" --db "$DB" export --year 2025 --format csv \
    -o "$WORK/out-2025.csv"

if cmp -s "$WORK/in.jsonl" "$WORK/out.jsonl"; then
    echo "round trip: the export of the imported file is identical to it"
else
    echo "round trip: the export differs from the imported file" >&2
    cmp "$WORK/in.jsonl" "$WORK/out.jsonl" >&2 || true
    failed=1
fi

if [ "$failed" -ne 0 ]; then
    echo "memcheck: FAILED" >&2
    exit 1
fi
echo "memcheck: passed"
