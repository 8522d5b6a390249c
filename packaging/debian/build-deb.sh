#!/bin/bash
# Builds pipe_<version>_amd64.deb with dpkg-deb from a stripped release binary and the files of this folder;
# the library dependencies come from dpkg-shlibdeps. Usage: build-deb.sh PIPE_BINARY OUTPUT_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
binary=$(realpath "$1")
out=$(realpath "$2")

version=$("$binary" --version | awk '{print $2}')
commit=$("$binary" --version | sed -n 's/.*(commit \([^,]*\),.*/\1/p')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# dpkg-shlibdeps wants the files inside a source tree, at debian/<package>: give it the smallest such tree.
pkg=$work/src/debian/pipe

install -D -m 0755 "$binary" "$pkg/usr/bin/pipe"
install -D -m 0644 "$here/pipe@.service" "$pkg/lib/systemd/system/pipe@.service"
install -D -m 0644 "$here/pipe.bash-completion" "$pkg/usr/share/bash-completion/completions/pipe"
install -D -m 0644 "$here/pipe.zsh-completion" "$pkg/usr/share/zsh/vendor-completions/_pipe"
install -d -m 0755 "$pkg/etc/pipe"
install -D -m 0644 "$here/copyright" "$pkg/usr/share/doc/pipe/copyright"
sed -e "s/@VERSION@/$version/" -e "s/@COMMIT@/$commit/" -e "s/@DATE@/$(date -R -u)/" "$here/changelog.in" \
    | gzip -9n > "$work/changelog.gz"
install -D -m 0644 "$work/changelog.gz" "$pkg/usr/share/doc/pipe/changelog.gz"

# The example pipelines, with their sample input, as the README's tour uses them.
examples=$pkg/usr/share/doc/pipe/examples
install -d -m 0755 "$examples/samples"
install -m 0644 "$root"/pipelines/*.yaml "$examples/"
install -m 0644 "$root"/pipelines/samples/* "$examples/samples/"

install -d -m 0755 "$pkg/usr/share/man/man1"
"$here/manpage.sh" "$binary" "$work/pipe.1"
gzip -9n < "$work/pipe.1" > "$pkg/usr/share/man/man1/pipe.1.gz"

printf 'Source: pipe\n\nPackage: pipe\nArchitecture: amd64\n' > "$work/src/debian/control"
depends=$(cd "$work/src" && dpkg-shlibdeps -O debian/pipe/usr/bin/pipe | sed -n 's/^shlibs:Depends=//p')

install -d -m 0755 "$pkg/DEBIAN"
for script in postinst prerm postrm; do install -m 0755 "$here/$script" "$pkg/DEBIAN/$script"; done
installed_size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@DEPENDS@/$depends/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
    "$here/control.in" > "$pkg/DEBIAN/control"
(cd "$pkg" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z | xargs -0 md5sum) > "$pkg/DEBIAN/md5sums"

mkdir -p "$out"
deb=$out/pipe_${version}_amd64.deb
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >/dev/null
echo "$deb"
