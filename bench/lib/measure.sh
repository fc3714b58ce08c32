# Shared by the benchmark scripts. measure LABEL VARIANT TASK -- command...: runs the command once to warm
# the page cache, then $runs times; appends "TASK VARIANT LABEL median_s peak_rss_MB all_runs" to $results
# (tab-separated) and prints it. The output of every run is $out/o.tif, removed before each run, and the dirty pages
# of the run before are written out (sync, untimed): no run pays for its predecessor's writeback.
measure() {
  local label="$1" variant="$2" task="$3"; shift 4
  local times=() rss=() i t m
  rm -f "$out"/o.tif "$out"/o.tif.aux.xml
  "$@" >/dev/null 2>&1 || { say "$label failed: $*"; "$@"; }
  for i in $(seq "$runs"); do
    rm -f "$out"/o.tif "$out"/o.tif.aux.xml
    sync
    /usr/bin/time -f '%e %M' -o "$out/time.txt" "$@" >/dev/null 2>&1
    read -r t m < "$out/time.txt"
    times+=("$t"); rss+=("$m")
  done
  local med_t med_m
  med_t=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  med_m=$(printf '%s\n' "${rss[@]}" | sort -n | awk '{a[NR]=$1} END {print int(a[NR]/1024)}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$task" "$variant" "$label" "$med_t" "$med_m" "${times[*]}" | tee -a "$results"
}

# Publishes tessera as it is installed (Release, ReadyToRun) into $root/bench/out/tessera (once per run of
# bench/processing, which sets TESSERA_BENCH_PUBLISHED).
publish_tessera() {
  if [ -n "${TESSERA_BENCH_PUBLISHED:-}" ] && [ -x "$root/bench/out/tessera/tessera" ]; then
    return # published once already by bench/processing
  fi
  say "publishing tessera (Release, ReadyToRun, as it is installed)"
  publish_tessera_to "$root/bench/out/tessera"
}

# measure_best LABEL VARIANT TASK -- command...: a GDAL-based anchor at its best block cache. Runs the command once with
# each GDAL_CACHEMAX in $BENCH_CACHES (MB; default "16 64 256 1024"), keeps the fastest, then measures as `measure` does
# with that cache, named in the label. Tessera is measured as it runs by default.
measure_best() {
  local label="$1" variant="$2" task="$3"; shift 4
  local best="" best_t="" cache t
  for cache in ${BENCH_CACHES:-16 64 256 1024}; do
    rm -f "$out"/o.tif "$out"/o.tif.aux.xml
    sync
    /usr/bin/time -f '%e' -o "$out/time.txt" env GDAL_CACHEMAX="$cache" "$@" >/dev/null 2>&1 || continue
    t=$(cat "$out/time.txt")
    if [ -z "$best_t" ] || awk -v a="$t" -v b="$best_t" 'BEGIN { exit !(a < b) }'; then best="$cache"; best_t="$t"; fi
  done
  measure "$label, GDAL_CACHEMAX=$best" "$variant" "$task" -- env GDAL_CACHEMAX="$best" "$@"
}

# Builds the floor, the same NDVI in C on libgdal (bench/anchors/ndvi_floor.c) linked against the system library, into
# $root/bench/out/ndvi_floor.
build_floor() {
  local libgdal
  libgdal="$(ldconfig -p | awk '/libgdal\.so/ {print $NF; exit}')"
  gcc -O2 -o "$root/bench/out/ndvi_floor" bench/anchors/ndvi_floor.c "$libgdal" -lpthread -lm
}
