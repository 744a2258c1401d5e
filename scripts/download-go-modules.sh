#!/usr/bin/env bash
# Downloads the Go modules of the test fixtures from the module proxy: the config libraries
# of test/fixtures/libs (issue 6: caarlos0/env, kelseyhightower/envconfig), which
# test/go/libraries.test.ts builds against, and the modules of test/fixtures/suites whose own
# test suites test/go/suites.test.ts runs under envtrace (issue 9). go.mod and go.sum are committed.
set -euo pipefail
cd "$(dirname "$0")/.."
for mod in test/fixtures/libs test/fixtures/suites; do
  (cd "$mod" && go mod download)
done
