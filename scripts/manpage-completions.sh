#!/usr/bin/env bash
# Writes zconn's man page (manpages/zconn.1.gz, from the hidden `zconn man`
# command) and its shell completions (completions/zconn.bash, .zsh, .fish,
# from `zconn completion SHELL`) for the release archives and packages.
# GoReleaser runs it before the builds; both folders are gitignored.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
# The flags of the release's linux/amd64 build, so the Go build cache serves
# both.
CGO_ENABLED=0 go build -trimpath -o "$bin/zconn" .

rm -rf completions manpages
mkdir -p completions manpages
for shell in bash zsh fish; do
  "$bin/zconn" completion "$shell" >"completions/zconn.$shell"
  if [ ! -s "completions/zconn.$shell" ]; then
    echo "zconn completion $shell printed nothing" >&2
    exit 1
  fi
done

page=$("$bin/zconn" man)
case $page in
  .TH\ ZCONN\ 1*) ;;
  *) echo "zconn man did not print a man page (no .TH ZCONN 1 header)" >&2; exit 1 ;;
esac
# The page is dated by the commit, not by the day it was built, so a
# rebuild of the same commit gives the same file.
if day=$(git log -1 --format=%cs 2>/dev/null) && [ -n "$day" ]; then
  page=$(printf '%s\n' "$page" | sed -E "1s/^(\.TH ZCONN 1 )\"[0-9-]+\"/\1\"$day\"/")
fi
printf '%s\n' "$page" | gzip -9 -n >manpages/zconn.1.gz
