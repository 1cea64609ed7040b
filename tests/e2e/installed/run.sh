#!/usr/bin/env bash
# The .deb as an office PC gets it: installed with apt (which pulls every dependency it
# declares), the installed app and CLI driven through the end-to-end tests, a registry written
# by 0.1.0 upgraded in the default data folder, the package removed with the data left as it
# was, then installed again and the data found again.
#   bash tests/e2e/installed/run.sh target/release/bundle/deb/cceaa-registry_<version>_<arch>.deb
# Needs root or sudo (it installs and removes the package) and Xvfb, WebKitWebDriver and
# tauri-driver (bash .ci/setup-debian --test).
set -euo pipefail
deb=$(realpath "${1:?usage: run.sh PACKAGE.deb}")
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
fail() { echo "installed package: $*" >&2; exit 1; }
artifacts=tests/e2e/.artifacts/installed
mkdir -p "$artifacts"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
package=cceaa-registry
resources="/usr/lib/CCEAA Registry"
window() { xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$@"; }

purge() { as_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "$package" >/dev/null; }
# A package of the same version already installed (an earlier run) would make apt do nothing:
# start from none, and leave none behind, whatever happens.
if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then purge; fi
home=""
cleanup() { purge || true; if [ -n "$home" ]; then rm -rf "$home"; fi; }
trap cleanup EXIT

echo "== install $deb"
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >/dev/null
dpkg-query -W -f='${Version}' "$package" | grep -qx "$version" || fail "dpkg does not list $package $version"
# Tauri names the menu entry's file after the product name.
desktop="/usr/share/applications/CCEAA Registry.desktop"
for f in /usr/bin/cceaa-registry /usr/bin/cceaa "$resources/fonts/NotoSerifCJKsc-Regular.otf" \
         "$resources/fonts/NotoSerifCJKsc-Bold.otf" "$resources/fonts/NotoSansCJKsc-Regular.otf" \
         "$resources/fonts/OFL.txt" "$desktop"; do
  [ -e "$f" ] || fail "$f is missing"
done
desktop-file-validate "$desktop" || fail "the menu entry is not a valid desktop file"
grep -qx 'Name=联盟成员登记簿' "$desktop" || fail "the menu entry is not named 联盟成员登记簿"
grep -qx 'Exec=cceaa-registry' "$desktop" || fail "the menu entry does not start the app"
icon=$(sed -n 's/^Icon=//p' "$desktop")
ls /usr/share/icons/hicolor/*/apps/"$icon".png >/dev/null || fail "no icon named $icon"
[ "$(cceaa --version)" = "cceaa $version" ] || fail "cceaa --version says $(cceaa --version)"
dpkg-deb --info "$deb" | grep -E '^ (Package|Version|Depends|Recommends|Installed-Size):' | tee "$artifacts/control.txt"
echo "== installed: $(du -sh "$deb" | cut -f1) package, $(dpkg-query -W -f='${Installed-Size}' $package) KiB on disk"

# A user whose registry was written by 0.1.0, in the default data folder: no CCEAA_DATA_DIR,
# no CCEAA_FONTS_DIR; everything is found where an installed app finds it.
unset CCEAA_DATA_DIR CCEAA_FONTS_DIR XDG_DATA_HOME
home=$(mktemp -d /tmp/cceaa-installed-home.XXXXXX)
export HOME="$home"
data="$HOME/.local/share/cceaa-registry"
mkdir -p "$data"
cp -r tests/fixtures/registry-0.1.0/. "$data/"
rm "$data/verifications.txt"

echo "== the installed app opens and upgrades the 0.1.0 registry"
CCEAA_VERSION=$version CCEAA_PHASE=installed window node --test tests/e2e/installed/upgrade.test.mjs

echo "== the installed CLI: its fonts, the upgraded registry, every old certificate"
info=$(cceaa info --json)
fonts_dir=$(echo "$info" | sed -n 's/^ *"fonts_dir": "\(.*\)",\?$/\1/p')
[ "$fonts_dir" = "$resources/fonts" ] || fail "cceaa finds its fonts elsewhere: $info"
echo "$info" | grep -q "\"data_dir\": \"$data\"" || fail "cceaa uses another data folder: $info"
while IFS=$'\t' read -r text state; do
  # Valid: exit 0. Revoked: exit 1, but printed as genuine. Forged: exit 1, nothing printed.
  if out=$(cceaa verify "$text" 2>/dev/null); then got=valid
  elif [ -n "$out" ]; then got=revoked
  else got=forged; fi
  [ "$got" = "$state" ] || fail "certificate $text verifies as $got, expected $state"
done < tests/fixtures/registry-0.1.0/verifications.txt
cceaa certificate 1 -o "$HOME/证书.pdf" >/dev/null
pdffonts "$HOME/证书.pdf" | grep -q 'NotoSerifCJKsc' || fail "the certificate does not embed the bundled fonts"

echo "== the installed app through the end-to-end tests (start, add, search, certificate)"
# The exchange test answers native file dialogs through CCEAA_E2E_DIALOG, which only a build
# with the e2e feature reads: a release never does, as the next check shows.
CCEAA_APP=/usr/bin/cceaa-registry CCEAA_CLI=/usr/bin/cceaa window \
  node --test --test-concurrency=1 tests/e2e/members.test.mjs tests/e2e/documents.test.mjs
if grep -q CCEAA_E2E_DIALOG /usr/bin/cceaa-registry; then
  fail "the installed app would answer file dialogs from CCEAA_E2E_DIALOG (built with e2e?)"
fi

echo "== the installed CLI exports the roster and reads it back"
cceaa export "$HOME/名录.xlsx" >/dev/null || fail "cceaa export failed"
report=$(cceaa import --dry-run --json "$HOME/名录.xlsx") || fail "cceaa import --dry-run failed"
grep -q '"errors": 0' <<<"$report" || fail "the exported roster does not read back cleanly"
grep -q '"unchanged": 0' <<<"$report" && fail "the exported roster matches no member: $report"

echo "== remove the package: the data folder stays as it was"
cceaa member add --name "卸载前登记的单位" --joined 2026-11-01 >/dev/null
sums() { (cd "$data" && find . -type f ! -name '*-shm' ! -name '*-wal' -print0 | sort -z | xargs -0 sha256sum); }
before=$(sums)
purge
for f in /usr/bin/cceaa-registry /usr/bin/cceaa "$resources" "$desktop"; do
  [ ! -e "$f" ] || fail "$f is left after removing the package"
done
[ "$(sums)" = "$before" ] || fail "removing the package changed the data folder"

echo "== install again: the data is found again"
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >/dev/null
cceaa members --search 卸载前登记 --json | grep -q '卸载前登记的单位' || fail "the CLI lost the data"
CCEAA_VERSION=$version CCEAA_PHASE=reinstalled CCEAA_EXPECT='𠮷祥跨境供应链（深圳）有限公司|卸载前登记的单位' \
  window node --test tests/e2e/installed/upgrade.test.mjs
echo "== installed package: all checks passed (the package is removed again on exit)"
