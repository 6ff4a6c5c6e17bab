#!/usr/bin/env bash
# `make run`'s kiosk: where a display is available, a demo kiosk window talking to the
# web site just started; without a display, says so and does nothing.
set -u
host=$1 port=$2
bin=.venv/bin
instance=${TSUNAGU_INSTANCE_DIR:-instance}
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display: the kiosk window is not started (on a desktop: make run shows it)."
  exit 0
fi
token_file=$instance/demo-kiosk-token
if [ ! -s "$token_file" ]; then
  "$bin/tsunagu" kiosks add demo-kiosk --location "デモ（make run）" | tail -n 1 > "$token_file"
  chmod 600 "$token_file"
fi
# wait for the web site, then open the kiosk in a window (--dev: no lock-down)
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "http://$host:$port/" 2>/dev/null && break
  sleep 0.5
done
# speech: the shipped guides and FAQ answers built ahead with the offline voices, quietly in
# the background (clips already built are kept); anything not built yet is spoken on first use
nice "$bin/tsunagu" content speech --engine offline --speed normal --quiet \
  > "$instance/speech-build.log" 2>&1 &
echo "Starting the demo kiosk window (server http://$host:$port)."
exec "$bin/tsunagu" kiosk --server "http://$host:$port" --token "$(cat "$token_file")" --dev \
  --data-dir "$instance/kiosk"
