#!/usr/bin/env bash
# The history test in its long form, or the failover measurement, against real host processes.
#
#   tests/history/run.sh [--seconds N] [--faults kill,pause,term,seed-restart,port-clash|none]
#                        [--seeds all|first] [--clients N] [--config extra.conf] [--random-seed N]
#   tests/history/run.sh --failover [--kills N] [--config extra.conf]
#
# Both run the same xunit tests as CI (HistoryTests, FailoverTests) with longer settings passed in
# ZARR_HISTORY_* / ZARR_FAILOVER_* variables, and print the run's summary at the end. Any other
# ZARR_HISTORY_* variable set by the caller (see HistorySettings.cs) is passed on as well.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

mode=history
export ZARR_HISTORY_SECONDS="${ZARR_HISTORY_SECONDS:-600}"
export ZARR_FAILOVER_KILLS="${ZARR_FAILOVER_KILLS:-6}"
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) ZARR_HISTORY_SECONDS="$2"; shift 2 ;;
    --faults) export ZARR_HISTORY_FAULTS="$2"; shift 2 ;;
    --seeds) export ZARR_HISTORY_SEEDS="$2"; shift 2 ;;
    --clients) export ZARR_HISTORY_CLIENTS="$2"; shift 2 ;;
    --random-seed) export ZARR_HISTORY_RANDOM_SEED="$2"; shift 2 ;;
    --config) export ZARR_HISTORY_CONFIG="$(realpath "$2")" ZARR_FAILOVER_CONFIG="$(realpath "$2")"; shift 2 ;;
    --failover) mode=failover; shift ;;
    --kills) ZARR_FAILOVER_KILLS="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

report=$(mktemp)
trap 'rm -f "$report"' EXIT
if [ "$mode" = failover ]; then
  export ZARR_FAILOVER_REPORT="$report"
  filter="FullyQualifiedName~FailoverTests"
else
  export ZARR_HISTORY_REPORT="$report"
  filter="FullyQualifiedName~HistoryTests"
fi

dotnet build tests/Host.Tests --nologo -v quiet
status=0
dotnet test tests/Host.Tests --no-build --nologo --filter "$filter" || status=$?
echo
cat "$report"
exit "$status"
