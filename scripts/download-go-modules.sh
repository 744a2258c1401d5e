#!/usr/bin/env bash
# Downloads the Go modules of the test fixtures that use config libraries (issue 6:
# caarlos0/env, kelseyhightower/envconfig) from the module proxy, so the Go test suite
# (test/go/libraries.test.ts) can build them. go.mod and go.sum are committed.
set -euo pipefail
cd "$(dirname "$0")/.."
for mod in test/fixtures/libs; do
  (cd "$mod" && go mod download)
done
