#!/usr/bin/env bash
# Mutation testing of the rule files with cargo-mutants: every mutant of a
# rule (an operator flipped, a body replaced, a guard deleted) must make a
# fast test fail. Too slow for every CI run: run it before resolving an issue
# that touches rules.
#   scripts/mutants.sh             every rule file below
#   scripts/mutants.sh FILE...     only these files (paths from the repo root)
# Prints caught, missed, timeouts and unviable per package; the lists are in
# $P2PCLOUD_HOME/mutants/<package>/mutants.out/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/env.sh"
bash "$root/scripts/setup.sh" --mutants
cd "$root"

RULE_FILES=(
  common/src/token.rs
  broker/src/data.rs broker/src/lists.rs broker/src/offers.rs
  broker/src/balances.rs broker/src/bookings.rs broker/src/service.rs
  community/src/data.rs community/src/proposals.rs community/src/fees.rs
)
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("${RULE_FILES[@]}")

# The fast test set: unit tests, access matrices and a short model run.
export P2PCLOUD_SEQUENCES="${P2PCLOUD_SEQUENCES:-300}"
declare -A tests=(
  [p2pcloud-common]="--lib"
  [broker]="--lib --test access --test model"
  [community]="--lib --test access --test model"
)
status=0
for package in p2pcloud-common broker community; do
  dir="${package#p2pcloud-}"
  selected=()
  for file in "${files[@]}"; do
    case "$file" in "$dir"/*) selected+=(--file "$file") ;; esac
  done
  [ ${#selected[@]} -gt 0 ] || continue
  out="$P2PCLOUD_HOME/mutants/$package"
  mkdir -p "$out"
  echo "mutants: $package: ${selected[*]}" >&2
  # The adapter over real cross-contract calls (Psp22Contract) only runs on a
  # chain: the e2e tests kill its mutants, the fast set cannot. A proposal
  # whose id is the newest decision on its subject was executed already, and
  # `execute` refuses it as AlreadyExecuted before the superseded check, so
  # `newest <= proposal_id` there behaves as `<`.
  # shellcheck disable=SC2086 # the test arguments are words
  cargo mutants --package "$package" "${selected[@]}" --output "$out" \
    --exclude-re 'impl Psp22Api for Psp22Contract' \
    --exclude-re 'replace < with <= in CommunityData<M>::execute$' \
    --no-shuffle --timeout-multiplier 3 -- ${tests[$package]} >"$out/log" 2>&1 || status=1
  summary="$(grep -E '^[0-9]+ mutants tested' "$out/log" | tail -n1)"
  echo "mutants: $package: ${summary:-no summary, see $out/log}"
  if [ -s "$out/mutants.out/missed.txt" ]; then
    echo "mutants: $package: missed:"
    sed 's/^/  /' "$out/mutants.out/missed.txt"
  fi
done
exit "$status"
