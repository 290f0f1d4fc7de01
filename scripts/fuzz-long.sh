#!/bin/sh
# The long fuzzing run of tests/fuzz (docs/security.md, "Fuzzing").
#
#   scripts/fuzz-long.sh                      # 5000 examples per test, a fresh seed
#   SELFASSESS_FUZZ_EXAMPLES=200 scripts/fuzz-long.sh -k xml
#
# Every example must end in a parse result or a one-line rejection. The
# process is capped at 3 GiB of address space, so a memory blow-up fails
# loudly instead of swapping. Hypothesis prints, per test, how many examples
# ran and what became of them; a failure is printed with its shrunk input and
# the seed to replay it (SELFASSESS_FUZZ_SEED=...).
set -eu
cd "$(dirname "$0")/.."
export SELFASSESS_FUZZ_EXAMPLES="${SELFASSESS_FUZZ_EXAMPLES:-5000}"
seed="${SELFASSESS_FUZZ_SEED:-$(date +%s)}"
ulimit -v $((3 * 1024 * 1024))
echo "fuzzing: ${SELFASSESS_FUZZ_EXAMPLES} examples per test, seed ${seed}"
exec python -m pytest tests/fuzz -p no:cacheprovider -q --no-header \
    --hypothesis-show-statistics --hypothesis-seed="${seed}" "$@"
