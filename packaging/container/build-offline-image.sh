#!/bin/bash
# Builds the pipe image without a registry: buildah from scratch, holding the release binary, exactly the shared
# libraries `ldd` lists plus the dynamic loader, CA certificates, time-zone data, /etc/passwd and /etc/group with
# the user 10001, the quickstart at /etc/pipe/pipeline.yaml and /var/lib/pipe. Entrypoint, command, user, ports,
# labels and STOPSIGNAL are the Containerfile's (tests/packaging/test_image.py compares them). Commits the local
# image pipe:<version> and saves it as an OCI archive in OUTPUT_DIR.
# Usage (as root): build-offline-image.sh PIPE_BINARY OUTPUT_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
binary=$(realpath "$1")
out=$(realpath "$2")
[ "$(id -u)" = 0 ] || { echo "build-offline-image.sh: run as root (buildah mount)" >&2; exit 1; }

# vfs storage and chroot isolation need neither overlay mounts nor user namespaces, which sandboxes may refuse;
# set here rather than in the machine's containers.conf (buildah 1.28 ignores STORAGE_DRIVER). The image test
# uses the same settings.
export BUILDAH_ISOLATION=chroot
buildah() { command buildah --storage-driver vfs "$@"; }

version=$("$binary" --version | awk '{print $2}')
commit=$("$binary" --version | sed -n 's/.*(commit \([^,]*\),.*/\1/p')
image=pipe:$version
archive=$out/pipe_${version}_amd64.oci.tar

container=$(buildah from scratch)
trap 'buildah umount "$container" >/dev/null 2>&1 || true; buildah rm "$container" >/dev/null 2>&1 || true' EXIT
rootfs=$(buildah mount "$container")

# Debian 12's merged /usr: the paths ldd prints (/lib/x86_64-linux-gnu/..., /lib64/ld-linux-x86-64.so.2) must
# resolve in the image as they do on the host.
install -d -m 0755 "$rootfs"/usr/{bin,lib,lib64,share} "$rootfs"/etc/{pipe,ssl/certs} "$rootfs"/var/lib
ln -s usr/lib "$rootfs/lib" && ln -s usr/lib64 "$rootfs/lib64" && ln -s usr/bin "$rootfs/bin"
install -d -m 1777 "$rootfs/tmp"

install -m 0755 "$binary" "$rootfs/usr/bin/pipe"
# Each library under the name the loader looks for (its soname), dereferenced; a missing one stops the build.
libraries=$(ldd "$binary" | awk '/not found/ {print "missing: " $1 > "/dev/stderr"; exit 1}
                                 /=>/ {print $3} /^\t\// {print $1}')
for lib in $libraries; do
  install -D -m 0644 "$(realpath "$lib")" "$rootfs$lib"
done
chmod 0755 "$rootfs"/lib64/ld-linux-*.so.*

# CA certificates where curl (the bundle) and OpenSSL (cert.pem, certs/) look for them, as Debian lays them out.
install -m 0644 /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/"
install -d -m 0755 "$rootfs/usr/lib/ssl"
ln -s /etc/ssl/certs/ca-certificates.crt "$rootfs/usr/lib/ssl/cert.pem"
ln -s /etc/ssl/certs "$rootfs/usr/lib/ssl/certs"
cp -a /usr/share/zoneinfo "$rootfs/usr/share/"

# The user 10001 that the Containerfile creates and the Kubernetes manifests run as; no login shell, no shadow.
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\npipe:x:10001:10001:pipe:/var/lib/pipe:/usr/sbin/nologin\n' \
  > "$rootfs/etc/passwd"
printf 'root:x:0:\npipe:x:10001:\n' > "$rootfs/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$rootfs/etc/nsswitch.conf"
chmod 0644 "$rootfs"/etc/{passwd,group,nsswitch.conf}
install -m 0644 "$root/pipelines/quickstart.yaml" "$rootfs/etc/pipe/pipeline.yaml"
install -d -m 0750 -o 10001 -g 10001 "$rootfs/var/lib/pipe"
buildah umount "$container" >/dev/null

buildah config \
  --user 10001:10001 --workingdir /var/lib/pipe --volume /var/lib/pipe --port 8686 --stop-signal SIGTERM \
  --entrypoint '["/usr/bin/pipe"]' \
  --cmd '["run", "/etc/pipe/pipeline.yaml", "--http", "0.0.0.0:8686", "--state-dir", "/var/lib/pipe",
          "--log-format", "json"]' \
  --label org.opencontainers.image.title=pipe \
  --label 'org.opencontainers.image.description=Data pipelines from one YAML file: sources, streaming SQL, sinks' \
  --label "org.opencontainers.image.version=$version" \
  --label org.opencontainers.image.licenses=NOASSERTION \
  --label "org.opencontainers.image.revision=$commit" \
  "$container"

# A rebuild replaces the image of the same version instead of leaving the old one behind untagged.
buildah rmi "$image" >/dev/null 2>&1 || true
buildah commit --quiet --rm "$container" "$image" >/dev/null
trap - EXIT
mkdir -p "$out"
rm -f "$archive"
buildah push --quiet "$image" "oci-archive:$archive:$image"
echo "$image $archive"
