#!/usr/bin/env bash
# Benchmarks: synap-hook against a parse floor and the JSON Schema CLIs a user
# would otherwise pick. Not part of the test suite (these machines are noisy;
# figures are medians of repeated runs, reported as ratios from one session).
#
#   bash benches/run.sh              # everything, installing peers on first run
#   SKIP_PEERS=1 bash benches/run.sh # synap-hook and the parse floor only
#
# Peers are installed from their registries into target/bench-tools/.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --locked --bin synap-hook --example parse_floor --example lifecycle_capture

tools=target/bench-tools
mkdir -p "$tools"
if [[ "${SKIP_PEERS:-0}" != 1 ]]; then
  if [[ ! -x "$tools/cargo/bin/jsonschema-cli" ]]; then
    cargo install --locked --quiet jsonschema-cli --root "$tools/cargo" \
      || cargo install --quiet jsonschema-cli --root "$tools/cargo"
  fi
  if [[ ! -d "$tools/npm/node_modules/ajv-cli" ]]; then
    npm install --silent --prefix "$tools/npm" @sourcemeta/jsonschema ajv-cli ajv-formats
  fi
  if [[ ! -d "$tools/py/check_jsonschema" ]]; then
    python3 -m pip install --quiet --target "$tools/py" check-jsonschema
  fi
fi

# Peak memory is read with GNU time (Debian package `time`).
if [[ ! -x /usr/bin/time ]]; then
  apt-get install -y -qq time >/dev/null 2>&1 || echo "note: /usr/bin/time missing; peak memory not measured" >&2
fi

python3 benches/bench.py "$@"
