#!/usr/bin/env bash
# Makes a throwaway certificate authority and a server certificate signed by it, for the
# TLS tests (the HTTP server's and PostgreSQL's): DIR/ca.pem, DIR/server.pem, DIR/server.key
# (P-256, valid two days, names 127.0.0.1 and localhost). Also DIR/other-ca.pem: a second CA
# that signed nothing here, to show a client refusing a certificate it cannot verify.
#
# Usage: scripts/tls/make_certs.sh DIR
set -euo pipefail
DIR=${1:?usage: make_certs.sh DIR}
mkdir -p "$DIR"
cd "$DIR"
curve=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
openssl req -x509 "${curve[@]}" -keyout ca.key -out ca.pem -days 2 -subj "/CN=deconflict test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -x509 "${curve[@]}" -keyout other-ca.key -out other-ca.pem -days 2 -subj "/CN=another CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req "${curve[@]}" -keyout server.key -out server.csr -subj "/CN=127.0.0.1" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 \
    -extfile server.ext 2>/dev/null
chmod 600 server.key ca.key other-ca.key
rm -f server.csr server.ext ca.srl
