#!/bin/sh
# The journal catalog must be valid (journalctl compiles it) and explain
# every MESSAGE_ID certd logs.
# Usage: check-catalog.sh <certd.catalog> <expiry_journal.h>
set -eu
catalog=$1
ids_source=$2
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/lib/systemd/catalog"
cp "$catalog" "$root/usr/lib/systemd/catalog/"
journalctl --root="$root" --update-catalog
listed=$(journalctl --root="$root" --list-catalog)
status=0
for id in $(grep -o '"[0-9a-f]\{32\}"' "$ids_source" | tr -d '"'); do
    if printf '%s\n' "$listed" | grep -q "^$id certd: "; then
        echo "catalog explains $id"
    else
        echo "MESSAGE_ID $id is logged but not in $catalog"
        status=1
    fi
done
exit $status
