#!/usr/bin/env bash
# The main job on the embedded default: build the regulation library from the bundled corpus
# and show it (documents, one article with its citation, a search).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

huiqi law build
huiqi law list
huiqi law show 220100-sme-promotion-2025-04-03 43
huiqi law search 投诉 --limit 5
huiqi size --industry 3911 --employees 120 --revenue 15000 --assets 9000
huiqi deadline complaint --jurisdiction 220100 --received 2025-09-26
