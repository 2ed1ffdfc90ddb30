#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a FRESH database and an empty media directory.
#
#   DATABASE_URL=postgres://…/portal_restored MEDIA_ROOT=/var/lib/portal/media-restored \
#     scripts/restore.sh BACKUP_DIR
#
# Create the database first (createdb -O portal portal_restored). The script checks every
# checksum before touching anything, refuses a database that already has tables or a media
# directory that has files, restores in one transaction, and checks every media file after
# extracting it. Then point the portal at them (docs/deployment.md, "Backup and restore").
set -euo pipefail
umask 077

backup=${1:?usage: scripts/restore.sh BACKUP_DIR}
: "${DATABASE_URL:?DATABASE_URL is not set}"
: "${MEDIA_ROOT:?MEDIA_ROOT is not set}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) url=$DATABASE_URL ;;
  pgsql://* | psql://*) url="postgresql://${DATABASE_URL#*://}" ;;
  *) echo "restore.sh: DATABASE_URL must be a PostgreSQL URL" >&2; exit 2 ;;
esac

echo "Checking the backup's checksums..."
(cd "$backup" && sha256sum --check --quiet SHA256SUMS)

tables=$(psql --dbname="$url" --no-psqlrc --tuples-only --no-align \
  --command="SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != "0" ]; then
  echo "restore.sh: the database already has $tables tables; restore into a fresh one" >&2
  exit 3
fi
mkdir -p "$MEDIA_ROOT"
if [ -n "$(find "$MEDIA_ROOT" -mindepth 1 -print -quit)" ]; then
  echo "restore.sh: $MEDIA_ROOT is not empty; restore into an empty directory" >&2
  exit 3
fi
chmod 700 "$MEDIA_ROOT"

echo "Restoring the database..."
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$url" "$backup/database.dump"

echo "Restoring the media files..."
tar --extract --file="$backup/media.tar" --directory="$MEDIA_ROOT" --no-same-owner
(cd "$MEDIA_ROOT" && sha256sum --check --quiet "$(cd "$backup" && pwd)/media.sha256")

echo "Restored $(wc -l <"$backup/media.sha256") media files and the database from $backup."
