#!/bin/sh
# Installs Debian packages (as root) without starting their services. Installing postgresql-15 or mariadb-server
# starts system-wide servers through invoke-rc.d, which would hold ports 5432 and 3306 and run until reboot; the
# tests start their own servers (tests/support/databases.py). A policy-rc.d that exits 101 ("action forbidden")
# stops invoke-rc.d from starting anything during this install; the one in place before, if any, comes back after.
set -eu
policy=/usr/sbin/policy-rc.d
saved="$policy.pipe-saved"
if [ -e "$policy" ]; then mv "$policy" "$saved"; fi
restore() { rm -f "$policy"; if [ -e "$saved" ]; then mv "$saved" "$policy"; fi; }
trap restore EXIT
printf '#!/bin/sh\n# pipe: no service starts while test packages install\nexit 101\n' > "$policy"
chmod 755 "$policy"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
