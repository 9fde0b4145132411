#!/bin/sh
# Regenerates the test CA and certificates (valid 20 years). Run from this folder.
set -e
days=7300
openssl req -x509 -newkey rsa:2048 -nodes -days $days -keyout ca-key.pem -out ca.pem \
  -subj "/CN=httpx test CA" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign"
openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr -subj "/CN=localhost"
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1,DNS:example.test\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days $days \
  -extfile server.ext -out server.pem
openssl req -newkey rsa:2048 -nodes -keyout client-key.pem -out client.csr -subj "/CN=httpx test client"
printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n' > client.ext
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days $days \
  -extfile client.ext -out client.pem
rm -f server.csr client.csr server.ext client.ext ca.srl
