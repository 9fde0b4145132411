#!/usr/bin/env bash
# Start, stop or check the real, independent servers the interop suite runs
# against. Everything listens on 127.0.0.1 and is stopped by PID.
#
#   bash scripts/interop_servers.sh install   # Debian packages (needs root)
#   bash scripts/interop_servers.sh start     # prints the env to export
#   bash scripts/interop_servers.sh stop
#
# Ports: httpbin 18080, nginx 18081 (plain) and 18443 (TLS, HTTP/2),
# apache2 digest 18082, squid 13128 (open) and 13129 (Basic auth user:pass),
# microsocks 11080 (no auth) and 11081 (user:pass), nghttpd 18444 (TLS h2)
# and 18445 (h2c).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
state=${HTTPX_INTEROP_STATE:-/tmp/httpx-interop}
tls="$here/tests/testdata/tls"
packages="python3-httpbin gunicorn nginx apache2 apache2-utils squid microsocks nghttp2-server nghttp2-client python3-httpx python3-h2 python3-aiohttp wrk time"

install() {
  missing=""
  for p in $packages; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  fi
}

wait_port() {
  local port=$1 name=$2
  for _ in $(seq 1 100); do
    if (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "interop: $name did not start listening on port $port" >&2
  tail -n 20 "$state"/*.log >&2 || true
  return 1
}

start() {
  stop >/dev/null 2>&1 || true
  rm -rf "$state"
  mkdir -p "$state/www" "$state/logs"
  chmod 755 "$state" "$state/www"

  # Static files for nginx and nghttpd.
  printf 'Hello, world!' >"$state/www/small.txt"
  head -c 65536 /dev/urandom >"$state/www/64k.bin"
  head -c 1048576 /dev/urandom >"$state/www/1m.bin"
  python3 - "$state/www/text.txt" <<'PY'
import sys
open(sys.argv[1], "w").write("".join(f"line {i} of a compressible text file\n" for i in range(20000)))
PY
  cp "$tls/server.pem" "$state/server.pem"
  cp "$tls/server-key.pem" "$state/server-key.pem"

  # httpbin under gunicorn (threaded workers keep connections alive).
  /usr/bin/python3 -m gunicorn --chdir "$state" -b 127.0.0.1:18080 -k gthread \
    --threads 8 -w 1 --pid "$state/gunicorn.pid" --daemon \
    --error-logfile "$state/logs/gunicorn.log" httpbin:app

  # nginx: plain with gzip, TLS with HTTP/2.
  cat >"$state/nginx.conf" <<NGINX
worker_processes 1;
daemon on;
pid $state/nginx.pid;
error_log $state/logs/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $state/nginx-body;
  proxy_temp_path $state/nginx-proxy;
  fastcgi_temp_path $state/nginx-fastcgi;
  uwsgi_temp_path $state/nginx-uwsgi;
  scgi_temp_path $state/nginx-scgi;
  keepalive_requests 100000;
  gzip on;
  gzip_types text/plain application/json;
  gzip_min_length 32;
  types { text/plain txt; application/octet-stream bin; }
  server {
    listen 127.0.0.1:18081;
    root $state/www;
  }
  server {
    listen 127.0.0.1:18443 ssl http2;
    ssl_certificate $state/server.pem;
    ssl_certificate_key $state/server-key.pem;
    http2_max_concurrent_streams 128;
    root $state/www;
  }
}
NGINX
  nginx -c "$state/nginx.conf"

  # apache2 with mod_auth_digest: user "user", password "pass", realm "httpx".
  mkdir -p "$state/apache/private"
  printf 'secret' >"$state/apache/private/index.txt"
  hash=$(printf 'user:httpx:pass' | md5sum | cut -d' ' -f1)
  echo "user:httpx:$hash" >"$state/apache/digest.passwd"
  chmod -R a+rX "$state/apache"
  cat >"$state/apache.conf" <<APACHE
ServerRoot /usr/lib/apache2
ServerName 127.0.0.1
Listen 127.0.0.1:18082
PidFile $state/apache.pid
ErrorLog $state/logs/apache-error.log
User www-data
Group www-data
LoadModule mpm_event_module modules/mod_mpm_event.so
LoadModule authn_core_module modules/mod_authn_core.so
LoadModule authn_file_module modules/mod_authn_file.so
LoadModule authz_core_module modules/mod_authz_core.so
LoadModule authz_user_module modules/mod_authz_user.so
LoadModule auth_digest_module modules/mod_auth_digest.so
LoadModule mime_module modules/mod_mime.so
LoadModule dir_module modules/mod_dir.so
TypesConfig /etc/mime.types
DocumentRoot $state/apache
<Directory $state/apache>
  Require all granted
</Directory>
<Location /private>
  AuthType Digest
  AuthName "httpx"
  AuthDigestDomain /private/
  AuthDigestProvider file
  AuthUserFile $state/apache/digest.passwd
  Require valid-user
</Location>
APACHE
  apache2 -f "$state/apache.conf" -k start

  # squid: an open port and a port that needs Basic auth (user:pass).
  htpasswd -bc "$state/squid.passwd" user pass >/dev/null 2>&1
  chmod a+r "$state/squid.passwd"
  mkdir -p "$state/squid"
  chmod 777 "$state/squid" "$state/logs"
  cat >"$state/squid.conf" <<SQUID
http_port 127.0.0.1:13128 name=open
http_port 127.0.0.1:13129 name=authed
pid_filename $state/squid/squid.pid
cache_log $state/logs/squid-cache.log
access_log none
cache deny all
cache_mem 8 MB
coredump_dir $state/squid
shutdown_lifetime 0 seconds
auth_param basic program /usr/lib/squid/basic_ncsa_auth $state/squid.passwd
auth_param basic realm httpx-proxy
acl openport myportname open
acl authport myportname authed
acl users proxy_auth REQUIRED
acl localnet src 127.0.0.0/8
http_access deny authport !users
http_access allow localnet
http_access deny all
SQUID
  squid -N -f "$state/squid.conf" >"$state/logs/squid.log" 2>&1 &
  echo $! >"$state/squid.pid"

  # microsocks: SOCKS5 without and with username/password.
  microsocks -i 127.0.0.1 -p 11080 >"$state/logs/socks.log" 2>&1 &
  echo $! >"$state/socks.pid"
  microsocks -i 127.0.0.1 -p 11081 -u user -P pass >"$state/logs/socks-auth.log" 2>&1 &
  echo $! >"$state/socks-auth.pid"

  # nghttpd: HTTP/2 over TLS and h2c.
  nghttpd -a 127.0.0.1 -d "$state/www" 18444 "$state/server-key.pem" "$state/server.pem" \
    >"$state/logs/nghttpd.log" 2>&1 &
  echo $! >"$state/nghttpd.pid"
  nghttpd -a 127.0.0.1 --no-tls -d "$state/www" 18445 >"$state/logs/nghttpd-h2c.log" 2>&1 &
  echo $! >"$state/nghttpd-h2c.pid"

  wait_port 18080 httpbin
  wait_port 18081 nginx
  wait_port 18443 nginx-tls
  wait_port 18082 apache2
  wait_port 13128 squid
  wait_port 13129 squid-auth
  wait_port 11080 microsocks
  wait_port 11081 microsocks-auth
  wait_port 18444 nghttpd
  wait_port 18445 nghttpd-h2c
  env
}

env() {
  cat <<ENV
export HTTPX_INTEROP=1
export HTTPX_INTEROP_STATE=$state
export HTTPBIN_URL=http://127.0.0.1:18080
export NGINX_URL=http://127.0.0.1:18081
export NGINX_TLS_URL=https://localhost:18443
export APACHE_URL=http://127.0.0.1:18082
export SQUID_URL=http://127.0.0.1:13128
export SQUID_AUTH_URL=http://user:pass@127.0.0.1:13129
export SOCKS_URL=socks5://127.0.0.1:11080
export SOCKS_AUTH_URL=socks5://user:pass@127.0.0.1:11081
export NGHTTPD_URL=https://localhost:18444
export NGHTTPD_H2C_URL=http://127.0.0.1:18445
export HTTPX_TEST_CA=$tls/ca.pem
ENV
}

stop() {
  [ -d "$state" ] || return 0
  if [ -f "$state/apache.pid" ]; then apache2 -f "$state/apache.conf" -k stop 2>/dev/null || true; fi
  for f in "$state"/*.pid "$state"/squid/squid.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f" 2>/dev/null || true)
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  sleep 0.3
  for f in "$state"/*.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f" 2>/dev/null || true)
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  done
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  env) env ;;
  *) echo "usage: $0 install|start|stop|env" >&2; exit 2 ;;
esac
