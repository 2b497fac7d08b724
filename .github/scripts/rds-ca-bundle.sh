#!/usr/bin/env bash
# Fetches the RDS global CA bundle, checks it, and writes it where the native build packs it at the root of
# function.zip (src/main/zip.native/; LAMBDA_TASK_ROOT in Lambda, where SLUICE_AWS_DATABASE_SSL_ROOT_CERT points):
# the functions verify the database's certificate against it (sslmode=verify-full).
#
# Checks, and fails the build on any miss: the download is over TLS from AWS's trust store; every entry parses as an
# X.509 CA certificate of Amazon RDS (OU=Amazon RDS, O=Amazon Web Services, Inc.); the RSA2048 G1 root CAs (the
# rds-ca-rsa2048-g1 that terraform/ sets as the instance's ca_cert_identifier) are there for the regions listed below;
# and, when .github/rds-ca-bundle.sha256 pins a digest, the bundle is exactly that one (AWS publishes a new bundle when
# it adds a region: review it, then update the pin). The digest and what the bundle holds go to the job summary.
#
# Usage: .github/scripts/rds-ca-bundle.sh [OUTPUT]   (default src/main/zip.native/rds-global-bundle.pem)
set -euo pipefail
cd "$(dirname "$0")/../.."

out=${1:-src/main/zip.native/rds-global-bundle.pem}
url=https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem
regions="us-east-1 us-east-2 us-west-1 us-west-2 eu-west-1 eu-west-2 eu-west-3 eu-central-1 eu-north-1 ap-northeast-1 ap-southeast-1 ap-southeast-2 ap-south-1 ca-central-1 sa-east-1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

curl --fail --silent --show-error --location --proto '=https' --tlsv1.2 --max-time 60 -o "$work/bundle.pem" "$url"
sha256=$(sha256sum "$work/bundle.pem" | cut -d' ' -f1)
if [ -f .github/rds-ca-bundle.sha256 ]; then
  pinned=$(cut -d' ' -f1 < .github/rds-ca-bundle.sha256)
  if [ "$sha256" != "$pinned" ]; then
    echo "::error::the RDS CA bundle's SHA-256 is $sha256, not the pinned $pinned: review the new bundle, then update .github/rds-ca-bundle.sha256" >&2
    exit 1
  fi
fi

csplit --quiet --elide-empty-files --prefix "$work/cert-" "$work/bundle.pem" '/-----BEGIN CERTIFICATE-----/' '{*}'
count=0
for cert in "$work"/cert-*; do
  grep -q 'BEGIN CERTIFICATE' "$cert" || continue
  subject=$(openssl x509 -in "$cert" -noout -subject -nameopt RFC2253)
  if ! openssl x509 -in "$cert" -noout -ext basicConstraints 2>/dev/null | grep -q 'CA:TRUE'; then
    echo "::error::not a CA certificate in the RDS bundle: $subject" >&2
    exit 1
  fi
  if ! grep -qE '(^|=|,)OU=Amazon RDS(,|$)' <<< "$subject" || ! grep -qE '(^|=|,)O=Amazon Web Services\\, Inc\.(,|$)' <<< "$subject"; then
    echo "::error::a certificate of someone other than Amazon RDS in the bundle: $subject" >&2
    exit 1
  fi
  echo "$subject" >> "$work/subjects"
  count=$((count + 1))
done
for region in $regions; do
  if ! grep -qE "(^|=|,)CN=Amazon RDS $region Root CA RSA2048 G1(,|\$)" "$work/subjects"; then
    echo "::error::the RDS bundle has no RSA2048 G1 root CA for $region" >&2
    exit 1
  fi
done

mkdir -p "$(dirname "$out")"
cp "$work/bundle.pem" "$out"
echo "RDS CA bundle: $count CA certificates of Amazon RDS, SHA-256 $sha256, written to $out"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  echo "RDS CA bundle in function.zip: $count CA certificates of Amazon RDS, SHA-256 \`$sha256\`" >> "$GITHUB_STEP_SUMMARY"
fi
