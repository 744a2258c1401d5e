#!/usr/bin/env bash
# Downloads the older Go toolchains the recorder tests build with (test/fixtures/go/toolchains.txt)
# through the Go module proxy into the module cache (GOMODCACHE), where later runs find them.
set -euo pipefail
cd "$(dirname "$0")/.."
while read -r v; do
  [ -z "$v" ] && continue
  GOTOOLCHAIN="go$v" go version
done < test/fixtures/go/toolchains.txt
