#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database (pg_dump, custom format) and the private media
# files (a tar), with checksums, into a new directory under DEST (default: var/backups).
#
#   DATABASE_URL=postgres://… MEDIA_ROOT=/var/lib/portal/media scripts/backup.sh [DEST]
#
# Reads the same variables as the portal (under systemd: the same EnvironmentFile). Prints the
# new backup directory. The backup holds health data: keep DEST encrypted and access-controlled.
# Restore with scripts/restore.sh (docs/deployment.md, "Backup and restore").
set -euo pipefail
umask 077

: "${DATABASE_URL:?DATABASE_URL is not set}"
: "${MEDIA_ROOT:?MEDIA_ROOT is not set}"
dest=${1:-var/backups}

# libpq takes postgres:// and postgresql:// URLs; django-environ's other spellings are mapped.
case "$DATABASE_URL" in
  postgres://* | postgresql://*) url=$DATABASE_URL ;;
  pgsql://* | psql://*) url="postgresql://${DATABASE_URL#*://}" ;;
  *) echo "backup.sh: DATABASE_URL must be a PostgreSQL URL (SQLite: stop the portal and copy the file)" >&2; exit 2 ;;
esac
if [ ! -d "$MEDIA_ROOT" ]; then
  echo "backup.sh: MEDIA_ROOT $MEDIA_ROOT is not a directory" >&2
  exit 2
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$dest"
work=$(mktemp -d "$dest/.portal-$stamp.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The database first, then the files: a file uploaded in between is an extra file in the tar
# (harmless); every attachment row in the dump has its file, unless it was purged meanwhile.
pg_dump --format=custom --no-owner --no-privileges --dbname="$url" --file="$work/database.dump"

# Every media file's checksum, then the files themselves.
(cd "$MEDIA_ROOT" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum) >"$work/media.sha256"
tar --create --file="$work/media.tar" --directory="$MEDIA_ROOT" --numeric-owner .

files=$(wc -l <"$work/media.sha256")
cat >"$work/MANIFEST" <<MANIFEST
portal backup
created: $stamp
database: database.dump (pg_dump custom format, $(pg_dump --version | head -n 1))
media: media.tar ($files files; checksums in media.sha256)
MANIFEST
(cd "$work" && sha256sum database.dump media.tar media.sha256 MANIFEST >SHA256SUMS)

mv "$work" "$dest/portal-$stamp"
trap - EXIT
echo "$dest/portal-$stamp"
