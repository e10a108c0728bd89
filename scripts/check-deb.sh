#!/usr/bin/env bash
# Installs the amd64 .deb of a snapshot (goreleaser release --snapshot) with
# dpkg -i, runs /usr/bin/zconn --version and --help, checks that the man
# page and the shell completions are where the package puts them, then
# removes the package. Needs root; .ci/run runs it after the snapshot.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "installing the .deb with dpkg -i needs root" >&2
  exit 1
fi
fail() { echo "$*" >&2; exit 1; }

debs=(dist/zconn_*_amd64.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "want one amd64 .deb in dist/; got: ${debs[*]}"
version=$(jq -r '.version // empty' dist/metadata.json)
[ -n "$version" ] || fail "dist/metadata.json names no version"
commit=$(git rev-parse HEAD)

dpkg -i "${debs[0]}"
trap 'dpkg -r zconn >/dev/null' EXIT
dpkg -L zconn

got=$(/usr/bin/zconn --version)
echo "$got"
want="zconn version v${version} (revision ${commit:0:12}, "
case $got in
  "$want"*) ;;
  *) fail "zconn --version: got \"$got\"; want it to start with \"$want\"" ;;
esac

help=$(/usr/bin/zconn --help)
grep -q "zconn new" <<<"$help" || fail "zconn --help does not show \"zconn new\":"$'\n'"$help"

for f in /usr/share/man/man1/zconn.1.gz \
  /usr/share/bash-completion/completions/zconn \
  /usr/share/zsh/vendor-completions/_zconn \
  /usr/share/fish/vendor_completions.d/zconn.fish \
  /usr/share/doc/zconn/copyright; do
  dpkg -L zconn | grep -qx "$f" || fail "the package does not list $f"
  [ -s "$f" ] || fail "$f is missing or empty"
done
gzip -dc /usr/share/man/man1/zconn.1.gz | head -n 1 | grep -q '^\.TH ZCONN 1 ' ||
  fail "/usr/share/man/man1/zconn.1.gz is not zconn's man page"
bash -c 'source /usr/share/bash-completion/completions/zconn && complete -p zconn' >/dev/null ||
  fail "the bash completion does not register zconn"
echo "the .deb installs /usr/bin/zconn $version, its man page and its bash, zsh and fish completions"
