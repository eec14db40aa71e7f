#!/usr/bin/env bash
# A self-signed TLS certificate for the reverse proxy: make-cert.sh [DIR] [HOST]
# Writes DIR/perfeval.crt and DIR/perfeval.key (default DIR: $TMPDIR/perfeval-deploy/tls, HOST: localhost).
# For production use a certificate from your organisation's CA instead (same two file names).
set -euo pipefail
dir="${1:-${TMPDIR:-/tmp}/perfeval-deploy/tls}"
host="${2:-localhost}"
mkdir -p "$dir"
umask 077
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 825 \
  -keyout "$dir/perfeval.key" -out "$dir/perfeval.crt" \
  -subj "/CN=$host/O=perfeval" \
  -addext "subjectAltName=DNS:$host,DNS:localhost,IP:127.0.0.1" 2>/dev/null
chmod 644 "$dir/perfeval.crt"
echo "$dir/perfeval.crt"
