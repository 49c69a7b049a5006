#!/bin/sh
# Prometheus reads no environment variables in its configuration: write the admin's user into a copy of it and the
# password into the file it names, both in its data folder, then start it. $1 is the configuration to use.
set -eu
umask 077
printf '%s' "${ADMIN_PASSWORD:-}" > /prometheus/admin-password
sed "s/__ADMIN_USER__/${ADMIN_USER:-admin}/" "$1" > /prometheus/prometheus.yml
exec /bin/prometheus --config.file=/prometheus/prometheus.yml --storage.tsdb.path=/prometheus \
  --storage.tsdb.retention.time=7d --web.listen-address=:9090
